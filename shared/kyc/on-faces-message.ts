import { DomainError } from '../errors';
import { failVerification, publishCompletion, recordDecisionOf } from './completion';
import { decide } from './decision';
import type { LivenessFindings } from './evidence';
import { parseEvidence } from './evidence-schema';
import { mediaFailureReason } from './media-failure';
import { facesMessageSchema } from './messages';
import { ifStillThere } from './verification-store';
import type { PipelineDeps, SelfieImages } from './pipeline-ports';
import { applyStatusChange, isTerminal, type VerificationRecord } from './verification';

/** The app has not finished the liveness session yet: retryable, the queue delivers the message again. */
export const livenessSessionPending = (verificationId: string) =>
  new DomainError('liveness-session-pending', `Liveness session of verification ${verificationId} has no result yet`, 503, {}, false);

export type FacesResult =
  | { action: 'ignored'; why: 'no-record' | 'erased' }
  | { action: 'already-done'; status: VerificationRecord['status'] }
  | { action: 'decided'; status: VerificationRecord['status'] }
  | { action: 'failed'; reason: 'UNREADABLE_MEDIA' | 'VIDEO_TOO_LONG' };

/** Loads and normalises the document and the selfie (photo, or the extracted frames). */
async function loadImages(record: VerificationRecord, deps: PipelineDeps): Promise<{ document: Buffer; selfie: SelfieImages }> {
  const media = record.media;
  if (!media) throw new Error(`Verification ${record.id} has no media`);
  const load = async (name: string) => deps.normaliseImage(await deps.blobs.download(name));
  const document = await load(media.document.blobName);
  if (media.selfie.kind === 'photo') return { document, selfie: { kind: 'photo', image: await load(media.selfie.blobName) } };
  // The `faces` message is only sent after the frames are listed; without them this run is early or broken: retry.
  if (!record.frames?.length) throw new Error(`Verification ${record.id} has no extracted frames yet`);
  const frames = await Promise.all(record.frames.map(load));
  return { document, selfie: { kind: 'video', frames } };
}

/** The session's liveness when the record has one and sessions are configured; throws (retryable) while it runs. */
async function livenessFromSession(record: VerificationRecord, deps: PipelineDeps): Promise<LivenessFindings | undefined> {
  if (!record.livenessSessionId || !deps.livenessSessions) return undefined;
  const result = await deps.livenessSessions.result(record.livenessSessionId);
  if (result === 'pending') throw livenessSessionPending(record.id);
  return result;
}

/**
 * `faces` queue: normalise, analyse, decide, store the decision under the record's ETag,
 * announce it. Already done when the record is final: then only the (deterministic)
 * announcements are re-sent, covering a crash between the write and the send. Two runs
 * racing: the first final state written wins, the second re-announces it.
 */
export async function onFacesMessage(message: unknown, deps: PipelineDeps): Promise<FacesResult> {
  const ref = facesMessageSchema.parse(message);
  const { tenantId, verificationId } = ref;
  const current = await deps.verifications.get(tenantId, verificationId);
  // No record: never existed, or erased (its tombstone reads as absent).
  if (!current) return { action: 'ignored', why: 'no-record' };
  if (isTerminal(current.status)) {
    await publishCompletion(current, deps);
    return { action: 'already-done', status: current.status };
  }
  if (current.mediaErasedAt) return { action: 'ignored', why: 'erased' };

  const begun = await ifStillThere(() =>
    deps.verifications.update(tenantId, verificationId, (r) =>
      isTerminal(r.status) || r.mediaErasedAt ? undefined : applyStatusChange(r, { to: 'processing', step: 'faces' }, deps.clock.now()).record,
    ),
  );
  if (!begun || begun.record.mediaErasedAt) return { action: 'ignored', why: 'erased' };
  const started = begun.record;
  // A mobile liveness session's verdict replaces the passive photo/frame liveness; read it first so a
  // session still in progress costs no face work (the throw makes the queue deliver the message again).
  const sessionLiveness = await livenessFromSession(started, deps);
  let images: { document: Buffer; selfie: SelfieImages };
  try {
    images = await loadImages(started, deps);
  } catch (e) {
    // The media went while we loaded it (erasure): done, not a failure to retry.
    const now = await deps.verifications.get(tenantId, verificationId);
    if (!now || now.mediaErasedAt) return { action: 'ignored', why: 'erased' };
    const reason = mediaFailureReason(e);
    if (!reason) throw e;
    await failVerification(ref, reason, deps);
    return { action: 'failed', reason };
  }
  const collected = await deps.collectEvidence(images);
  const evidence = parseEvidence(sessionLiveness ? { ...collected, liveness: sessionLiveness } : collected);
  const decision = decide(evidence, deps.settings);

  // ETag-conditioned: a record erased meanwhile is not written back (no decision, no announcement).
  const decided = await ifStillThere(() =>
    deps.verifications.update(tenantId, verificationId, (r) =>
      // The evidence stays with the decision: the review desk shows it to a person.
      isTerminal(r.status) ? undefined : { ...applyStatusChange(r, { to: 'decided', decision }, deps.clock.now()).record, evidence },
    ),
  );
  if (!decided) return { action: 'ignored', why: 'erased' };
  const { record } = decided;
  if (decided.changed) recordDecisionOf(record);
  await publishCompletion(record, deps);
  return { action: 'decided', status: record.status };
}
