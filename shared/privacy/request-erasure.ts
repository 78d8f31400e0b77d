import { notFound } from '../errors';
import { isSafeId } from '../kyc/blob-names';
import { ifStillThere, type VerificationStore } from '../kyc/verification-store';
import type { Clock } from '../platform/clock';
import { requestRetentionErasure, retentionInputFor, type RetentionClient } from './retention-starter';

/** DELETE /api/v1/verifications/{id} body (202): erasing now, or already erased. */
export type ErasureRequestView = { id: string; status: 'erasing' } | { id: string; status: 'erased'; erasedAt: string };

/**
 * Erasure on request: marks the record `erasureRequestedAt` (so the sweep finishes it if the
 * orchestration is lost), then sends the verification's retention orchestration the erase
 * event (starting it if missing). An already erased verification answers the same 202 with
 * its erasure time: asking twice is harmless. 404 for unknown ids and other tenants' ids.
 */
export async function requestVerificationErasure(
  deps: { verifications: VerificationStore; clock: Clock; client: RetentionClient; orchestration: string },
  tenantId: string,
  id: string,
): Promise<ErasureRequestView> {
  if (!isSafeId(id)) throw notFound('Verification');
  const found = await deps.verifications.lookup(tenantId, id);
  if (!found) throw notFound('Verification');
  if (found.kind === 'erased') return { id, status: 'erased', erasedAt: found.tombstone.erasedAt };
  const at = deps.clock.now().toISOString();
  const marked = await ifStillThere(() =>
    deps.verifications.update(tenantId, id, (r) => (r.erasureRequestedAt ? undefined : { ...r, erasureRequestedAt: at })),
  );
  if (!marked) {
    // Erased between the read and the mark.
    const now = await deps.verifications.lookup(tenantId, id);
    if (now?.kind === 'erased') return { id, status: 'erased', erasedAt: now.tombstone.erasedAt };
    throw notFound('Verification');
  }
  await requestRetentionErasure(deps.client, deps.orchestration, retentionInputFor(marked.record));
  return { id, status: 'erasing' };
}
