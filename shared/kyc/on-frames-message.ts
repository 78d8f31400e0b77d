import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { QUEUES } from '../names';
import { frameBlobName } from './blob-names';
import { failVerification } from './completion';
import { mediaFailureReason } from './media-failure';
import { framesMessageSchema, messageIds, type VerificationRef } from './messages';
import { ifStillThere } from './verification-store';
import type { PipelineDeps } from './pipeline-ports';
import { applyStatusChange, isTerminal } from './verification';

export type FramesResult =
  | { action: 'ignored'; why: 'no-record' | 'erased' }
  | { action: 'already-done' }
  | { action: 'sent-faces'; frames: number; reused: boolean }
  | { action: 'failed'; reason: 'UNREADABLE_MEDIA' | 'VIDEO_TOO_LONG' };

const sendFaces = (ref: VerificationRef, deps: PipelineDeps) =>
  deps.sender.send(QUEUES.faces, { messageId: messageIds.faces(ref.verificationId), body: ref, correlationId: ref.verificationId });

/**
 * `frames` queue: extracts the selfie video's frames into `frames/NN.jpg` blobs and sends
 * the `faces` message. Already done when the record lists its frames (then only the
 * deterministic `faces` message is re-sent) or is finished. Unusable video fails the
 * verification at once; any other error is thrown for the platform's retry.
 */
export async function onFramesMessage(message: unknown, deps: PipelineDeps): Promise<FramesResult> {
  const ref = framesMessageSchema.parse(message);
  const { tenantId, verificationId } = ref;
  const current = await deps.verifications.get(tenantId, verificationId);
  // No record: never existed, or erased (its tombstone reads as absent). Media erased: nothing to extract.
  if (!current) return { action: 'ignored', why: 'no-record' };
  if (current.mediaErasedAt) return { action: 'ignored', why: 'erased' };
  if (isTerminal(current.status)) return { action: 'already-done' };
  if (current.frames?.length) {
    await sendFaces(ref, deps);
    return { action: 'sent-faces', frames: current.frames.length, reused: true };
  }
  const video = current.media?.selfie;
  if (!video || video.kind !== 'video') throw new Error(`Verification ${verificationId} has no selfie video`);

  const started = await ifStillThere(() =>
    deps.verifications.update(tenantId, verificationId, (r) =>
      isTerminal(r.status) || r.mediaErasedAt ? undefined : applyStatusChange(r, { to: 'processing', step: 'frames' }, deps.clock.now()).record,
    ),
  );
  if (!started || started.record.mediaErasedAt) return { action: 'ignored', why: 'erased' };

  const dir = await mkdtemp(join(deps.tempDir ?? tmpdir(), 'vouch-kyc-'));
  let frames: Buffer[];
  try {
    const path = join(dir, `selfie-video.${video.blobName.split('.').pop() ?? 'bin'}`);
    await deps.blobs.downloadToFile(video.blobName, path);
    frames = await deps.extractFrames(path, {
      count: current.challenge ? Math.max(deps.settings.frameCount, deps.settings.challengeFrameCount) : deps.settings.frameCount,
      timeoutMs: deps.settings.frameExtractionTimeoutMs,
      maxDurationS: deps.settings.maxSelfieVideoSeconds,
    });
  } catch (e) {
    const reason = mediaFailureReason(e);
    if (!reason) throw e;
    await failVerification(ref, reason, deps);
    return { action: 'failed', reason };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }

  const names = frames.map((_, i) => frameBlobName(tenantId, verificationId, i));
  // Deterministic names: a second run overwrites the same blobs instead of adding more.
  await Promise.all(frames.map((jpeg, i) => deps.blobs.upload(names[i]!, jpeg, 'image/jpeg')));
  // Erased while we extracted: the erasure wrote its mark before deleting blobs, so if this conditional
  // write still sees a record without it, the erasure's blob delete comes later and takes our frames;
  // otherwise the frames we just wrote are ours to remove.
  const listed = await ifStillThere(() =>
    deps.verifications.update(tenantId, verificationId, (r) =>
      isTerminal(r.status) || r.mediaErasedAt ? undefined : { ...r, frames: names, updatedAt: deps.clock.now().toISOString() },
    ),
  );
  if (!listed || listed.record.mediaErasedAt) {
    await Promise.all(names.map((name) => deps.blobs.delete(name)));
    return { action: 'ignored', why: 'erased' };
  }
  await sendFaces(ref, deps);
  return { action: 'sent-faces', frames: names.length, reused: false };
}
