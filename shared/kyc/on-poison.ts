import { silentLogger } from '../platform/logger';
import { parseMediaBlobName } from './blob-names';
import { failVerification } from './completion';
import { verificationRefSchema } from './messages';
import type { PipelineDeps } from './pipeline-ports';

export type PoisonResult = { action: 'failed' | 'already-done' | 'ignored' };

async function fail(ref: { tenantId: string; verificationId: string }, deps: PipelineDeps): Promise<PoisonResult> {
  const before = await deps.verifications.get(ref.tenantId, ref.verificationId);
  if (!before) return { action: 'ignored' };
  const after = await failVerification(ref, 'PROCESSING_FAILED', deps);
  return { action: after?.status === 'failed' && before.status !== 'failed' ? 'failed' : 'already-done' };
}

/**
 * A `frames` or `faces` message that exhausted its deliveries (read from the dead-letter
 * queue): the verification ends `failed` with `PROCESSING_FAILED` instead of staying in
 * `processing`, and is announced. A finished verification is left as it is. A body that
 * names no verification is logged and dropped (there is nothing to mark).
 */
export async function onPoisonMessage(message: unknown, deps: PipelineDeps): Promise<PoisonResult> {
  const parsed = verificationRefSchema.safeParse(message);
  if (!parsed.success) {
    (deps.logger ?? silentLogger).error('kyc: dead-lettered message names no verification');
    return { action: 'ignored' };
  }
  return fail(parsed.data, deps);
}

/** The manifest's blob trigger gave up (its poison queue): same outcome as a poisoned message. */
export async function onPoisonBlob(blobName: string, deps: PipelineDeps): Promise<PoisonResult> {
  const parsed = parseMediaBlobName(blobName);
  if (parsed?.part !== 'manifest') return { action: 'ignored' };
  return fail(parsed, deps);
}
