import type { ContainerClient } from '@azure/storage-blob';

/** Deletes running at once per prefix: a verification has a handful of blobs, a sweep many. */
const DELETE_CONCURRENCY = 8;

export interface EraseBlobsOptions {
  /**
   * Also list and delete earlier versions (accounts with blob versioning on; without versioning
   * the listing has none, Azurite included). The current blob goes with its snapshots either way.
   */
  versions?: boolean;
}

/**
 * Deletes every blob under `prefix` (with its snapshots, and with `versions` every earlier
 * version); returns how many current blobs went. Idempotent: a second run finds nothing.
 */
export async function eraseBlobPrefix(container: ContainerClient, prefix: string, options: EraseBlobsOptions = {}): Promise<number> {
  const deletions: Array<() => Promise<boolean>> = [];
  for await (const item of container.listBlobsFlat({ prefix, includeSnapshots: false, includeVersions: options.versions === true })) {
    const blob = container.getBlobClient(item.name);
    if (item.versionId && !item.isCurrentVersion) {
      const version = blob.withVersion(item.versionId);
      deletions.push(async () => (await version.deleteIfExists(), false));
    } else {
      deletions.push(async () => (await blob.deleteIfExists({ deleteSnapshots: 'include' })).succeeded);
    }
  }
  let deleted = 0;
  for (let i = 0; i < deletions.length; i += DELETE_CONCURRENCY) {
    const done = await Promise.all(deletions.slice(i, i + DELETE_CONCURRENCY).map((run) => run()));
    deleted += done.filter(Boolean).length;
  }
  return deleted;
}

/** How many blobs are under `prefix` (tests and the export use it). */
export async function listBlobNames(container: ContainerClient, prefix: string): Promise<string[]> {
  const names: string[] = [];
  for await (const item of container.listBlobsFlat({ prefix })) names.push(item.name);
  return names;
}
