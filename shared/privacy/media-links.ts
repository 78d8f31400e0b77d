import type { BlobServiceClient, ContainerClient, UserDelegationKey } from '@azure/storage-blob';

/** A read-only link to one blob that stops working at `expiresOn`. */
export type MediaLinker = (blobName: string, expiresOn: Date) => Promise<string>;

/** Clock skew allowance on the link's start. */
const START_SKEW_MS = 5 * 60_000;

/**
 * Read-only SAS links: signed with the account key where the client has one (Azurite, the
 * local connection string), otherwise with a user-delegation key obtained through the managed
 * identity (Azure; needs the Storage Blob Delegator role, which Blob Data Contributor includes).
 */
export function createMediaLinker(service: BlobServiceClient, container: ContainerClient): MediaLinker {
  let delegation: { key: UserDelegationKey; until: number } | undefined;
  return async (blobName, expiresOn) => {
    // Loaded on first use: the SDK costs ~200 ms of every function's cold start otherwise.
    const { BlobSASPermissions, generateBlobSASQueryParameters, StorageSharedKeyCredential } = await import('@azure/storage-blob');
    const blob = container.getBlobClient(blobName);
    const permissions = BlobSASPermissions.parse('r');
    const startsOn = new Date(Date.now() - START_SKEW_MS);
    if (container.credential instanceof StorageSharedKeyCredential) {
      return blob.generateSasUrl({ permissions, startsOn, expiresOn });
    }
    if (!delegation || delegation.until < expiresOn.getTime()) {
      delegation = { key: await service.getUserDelegationKey(startsOn, expiresOn), until: expiresOn.getTime() };
    }
    const sas = generateBlobSASQueryParameters(
      { containerName: container.containerName, blobName, permissions, startsOn, expiresOn },
      delegation.key,
      service.accountName,
    );
    return `${blob.url}?${sas.toString()}`;
  };
}
