import { QUEUES } from '../names';
import { silentLogger } from '../platform/logger';
import { manifestBlobName, parseMediaBlobName } from './blob-names';
import { markUploaded } from './create-verification';
import { messageIds, uploadManifestSchema } from './messages';
import type { PipelineDeps } from './pipeline-ports';

export type MediaUploadedResult =
  | { action: 'ignored'; why: 'not-a-manifest' | 'no-record' | 'erased' }
  | { action: 'already-started' }
  | { action: 'sent'; queue: typeof QUEUES.frames | typeof QUEUES.faces };

/**
 * Blob trigger on `kyc-media`: the pipeline's fan-out. Only the manifest (written after all
 * media) starts work; media and frame blobs are ignored, so a trigger never races an upload
 * in progress. A video goes to `frames`, a photo selfie straight to `faces`, with message id
 * `${id}:frames` / `${id}:faces`: a repeated trigger sends the same id, which the broker drops.
 */
export async function onMediaUploaded(blobName: string, deps: PipelineDeps): Promise<MediaUploadedResult> {
  const logger = deps.logger ?? silentLogger;
  const parsed = parseMediaBlobName(blobName);
  if (parsed?.part !== 'manifest') return { action: 'ignored', why: 'not-a-manifest' };
  const { tenantId, verificationId } = parsed;

  const existing = await deps.verifications.get(tenantId, verificationId);
  if (!existing) {
    // Erased (or expired) before its trigger ran: nothing to process.
    logger.warn('kyc: manifest without a verification record', { verificationId });
    return { action: 'ignored', why: 'no-record' };
  }
  // Media erased (retention or erasure): the manifest went with them, there is nothing to process.
  if (existing.mediaErasedAt) return { action: 'ignored', why: 'erased' };
  const manifest = uploadManifestSchema.parse(
    JSON.parse((await deps.blobs.download(manifestBlobName(tenantId, verificationId))).toString('utf8')),
  );
  if (manifest.tenantId !== tenantId || manifest.verificationId !== verificationId) {
    throw new Error(`Manifest ${blobName} names another verification`);
  }

  // POST marks the record pending after writing the manifest; if it crashed in between, we do.
  const record = existing.status === 'uploading' ? await markUploaded(deps.verifications, manifest, deps.clock.now()) : existing;
  // Past `pending`, the frames/faces step owns it (and its own message redelivers it).
  if (record.status !== 'pending') return { action: 'already-started' };

  const ref = { tenantId, verificationId };
  const video = manifest.media.selfie.kind === 'video';
  const queue = video ? QUEUES.frames : QUEUES.faces;
  await deps.sender.send(queue, {
    messageId: video ? messageIds.frames(verificationId) : messageIds.faces(verificationId),
    body: ref,
    correlationId: verificationId,
  });
  return { action: 'sent', queue };
}
