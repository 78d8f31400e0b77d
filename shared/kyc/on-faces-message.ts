import { failVerification, publishCompletion, recordDecisionOf } from './completion';
import { decide } from './decision';
import { DEFAULT_KYC_POLICY } from './kyc-policy';
import type { LivenessFindings } from './evidence';
import { parseEvidence } from './evidence-schema';
import { mediaFailureReason } from './media-failure';
import { facesMessageSchema, messageIds, type FacesMessage } from './messages';
import { QUEUES } from '../names';
import { ifStillThere } from './verification-store';
import type { PipelineDeps, SelfieImages } from './pipeline-ports';
import { applyStatusChange, isTerminal, type VerificationRecord } from './verification';

export type FacesResult =
  | { action: 'ignored'; why: 'no-record' | 'erased' }
  | { action: 'already-done'; status: VerificationRecord['status'] }
  | { action: 'decided'; status: VerificationRecord['status'] }
  | { action: 'waiting-for-liveness-session'; round: number }
  | { action: 'failed'; reason: 'UNREADABLE_MEDIA' | 'VIDEO_TOO_LONG' };

/** Loads and normalises the document and the selfie (photo, or the extracted frames). */
async function loadImages(record: VerificationRecord, deps: PipelineDeps): Promise<{ document: Buffer; selfie: SelfieImages }> {
  const media = record.media;
  if (!media) throw new Error(`Verification ${record.id} has no media`);
  const load = async (name: string) => deps.normaliseImage(await deps.blobs.download(name));
  // The `faces` message is only sent after the frames are listed; without them this run is early or broken: retry.
  if (media.selfie.kind === 'video' && !record.frames?.length) throw new Error(`Verification ${record.id} has no extracted frames yet`);
  // Every download and normalisation at once: they are independent, and each waits on I/O or libvips threads.
  const [document, ...selfie] = await Promise.all([media.document.blobName, ...(media.selfie.kind === 'photo' ? [media.selfie.blobName] : record.frames!)].map(load));
  if (media.selfie.kind === 'photo') return { document: document!, selfie: { kind: 'photo', image: selfie[0]! } };
  return { document: document!, selfie: { kind: 'video', frames: selfie } };
}

/**
 * The session's liveness when the record has (or announced) one and sessions are configured;
 * `'pending'` while the app has not finished it (or not started it yet).
 */
async function livenessFromSession(record: VerificationRecord, deps: PipelineDeps): Promise<LivenessFindings | 'pending' | undefined> {
  if (!deps.livenessSessions) return undefined;
  if (!record.livenessSessionId) return record.livenessSessionExpected ? 'pending' : undefined;
  return deps.livenessSessions.result(record.livenessSessionId);
}

/** What an expired wait decides on: no session verdict, which scores 0 like a session finished without one (→ review). */
const NO_SESSION_RESULT: LivenessFindings = { score: 0, method: 'azure-liveness-session', signals: { sessionWaitExpired: 1 } };

/**
 * Looks at the session again later without using up a delivery: a new message with a
 * deterministic id per round (a repeated run sends the same one, which the broker drops),
 * scheduled `livenessSessionPollSeconds` ahead. False once the wait is over.
 */
async function scheduleSessionWait(ref: FacesMessage, deps: PipelineDeps): Promise<{ round: number } | false> {
  const round = (ref.livenessWait ?? 0) + 1;
  const { livenessSessionPollSeconds: poll, livenessSessionWaitSeconds: wait } = deps.settings;
  if ((round - 1) * poll >= wait) return false;
  await deps.sender.send(QUEUES.faces, {
    messageId: messageIds.facesLivenessWait(ref.verificationId, round),
    body: { tenantId: ref.tenantId, verificationId: ref.verificationId, livenessWait: round },
    correlationId: ref.verificationId,
    scheduledEnqueueTimeUtc: new Date(deps.clock.now().getTime() + poll * 1000),
  });
  return { round };
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
  // session still in progress costs no face work. While it runs, this message completes and a scheduled
  // one looks again: waiting uses no deliveries, so a slow app never ends in the poison path.
  let sessionLiveness = await livenessFromSession(started, deps);
  if (sessionLiveness === 'pending') {
    const waiting = await scheduleSessionWait(ref, deps);
    if (waiting) return { action: 'waiting-for-liveness-session', round: waiting.round };
    sessionLiveness = NO_SESSION_RESULT;
  }
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
  // The tenant's policy is read while the faces are analysed, not after.
  const policy = deps.kycPolicy?.(tenantId) ?? Promise.resolve(DEFAULT_KYC_POLICY);
  policy.catch(() => undefined); // awaited below; a failed analysis must not leave it unhandled
  const collected = await deps.collectEvidence({ ...images, ...(started.challenge ? { challenge: started.challenge } : {}) });
  const evidence = parseEvidence(sessionLiveness === undefined ? collected : { ...collected, liveness: sessionLiveness });
  const decision = decide(evidence, deps.settings, await policy);

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
