import type { Container } from '@azure/cosmos';
import { failVerification } from './completion';
import type { PipelineDeps } from './pipeline-ports';
import { ifStillThere } from './verification-store';

/** Unfinished verifications last changed before `cutoff` (ISO), at most `limit`, any tenant. */
export type StalledQuery = (cutoff: string, limit: number) => Promise<Array<{ tenantId: string; id: string }>>;

export function cosmosStalledQuery(container: Container): StalledQuery {
  return async (cutoff, limit) => {
    const { resources } = await container.items
      .query<{ tenantId: string; id: string }>({
        query:
          "SELECT TOP @limit c.tenantId, c.id FROM c WHERE c.status IN ('uploading', 'pending', 'processing') AND c.updatedAt < @cutoff",
        parameters: [
          { name: '@limit', value: limit },
          { name: '@cutoff', value: cutoff },
        ],
      })
      .fetchAll();
    return resources;
  };
}

/**
 * The last line against a verification that never gets a decision: a manifest whose blob trigger
 * gave up, an upload that died between the record and the manifest, a lost message. Anything still
 * unfinished `stalledAfterMinutes` after its last change ends `failed` with `PROCESSING_FAILED` and
 * is announced, as a dead-lettered message would be. Safe to run twice: the first final state wins.
 */
export async function failStalledVerifications(find: StalledQuery, deps: PipelineDeps, limit = 200): Promise<{ failed: number }> {
  const cutoff = new Date(deps.clock.now().getTime() - deps.settings.stalledAfterMinutes * 60_000).toISOString();
  let failed = 0;
  for (const { tenantId, id } of await find(cutoff, limit)) {
    // Erased between the query and the update: nothing left to fail.
    const record = await ifStillThere(() => failVerification({ tenantId, verificationId: id }, 'PROCESSING_FAILED', deps));
    if (record?.status === 'failed') failed++;
  }
  return { failed };
}
