import { z } from 'zod';
import type { Evidence, ImageFindings } from './evidence';
import type { KycSettings } from './kyc-settings';
import { DEFAULT_KYC_POLICY, type KycPolicy } from './kyc-policy';
import { challengeStepSchema } from './challenges/challenge';
import { reasonCodeSchema, type DecisionReason } from './reasons';

export const outcomeSchema = z.enum(['approved', 'declined', 'review']);
export type Outcome = z.infer<typeof outcomeSchema>;

export const livenessMethodSchema = z.enum(['passive-antispoof', 'video-frames', 'azure-liveness-session']);

/** The decision as stored on the record and shown by GET. */
export const decisionSchema = z.object({
  outcome: outcomeSchema,
  /** Stable codes, in a fixed order; empty only when approved. */
  reasons: z.array(reasonCodeSchema),
  faceMatch: z.object({
    /** Similarity in [0, 1]; null when either side had no single clear face to compare. */
    score: z.number().nullable(),
    threshold: z.number(),
    provider: z.enum(['local', 'azure']),
  }),
  liveness: z.object({
    /** Liveness score in [0, 1]; null when none could be computed. */
    score: z.number().nullable(),
    passed: z.boolean(),
    method: livenessMethodSchema,
  }),
  /** Present when the selfie video answered an active challenge: the steps asked, the movements seen. */
  challenge: z
    .object({ matched: z.boolean(), steps: z.array(challengeStepSchema), observed: z.array(challengeStepSchema) })
    .optional(),
});
export type Decision = z.infer<typeof decisionSchema>;

/** The settings the policy reads (a `KycSettings` fits). */
export type DecisionThresholds = Pick<
  KycSettings,
  | 'matchThreshold'
  | 'declineThreshold'
  | 'livenessPhotoThreshold'
  | 'livenessVideoThreshold'
  | 'livenessSessionThreshold'
  | 'minFaceSizePx'
  | 'minFramesWithOneFaceRatio'
>;

/** Problems with one image's face, in the order reasons are reported. */
function faceProblems(
  img: ImageFindings,
  none: DecisionReason,
  many: DecisionReason,
  t: DecisionThresholds,
): DecisionReason[] {
  if (img.faceCount === 0) return [none];
  const out: DecisionReason[] = img.faceCount > 1 ? [many] : [];
  if (img.faceSizePx < t.minFaceSizePx) out.push('FACE_TOO_SMALL');
  if (img.quality === 'low' || img.quality === 'none') out.push('LOW_QUALITY');
  return out;
}

function livenessThreshold(method: Decision['liveness']['method'], t: DecisionThresholds): number {
  if (method === 'passive-antispoof') return t.livenessPhotoThreshold;
  if (method === 'video-frames') return t.livenessVideoThreshold;
  return t.livenessSessionThreshold;
}

/**
 * The decision policy: pure, so every rule is a table row in its test.
 *
 * - approved: exactly one clear face in each, similarity ≥ matchThreshold, liveness passed.
 * - declined: only when the faces are clearly different people: similarity < declineThreshold
 *   and no quality problem on either side (a blurred or tiny face can look "different").
 * - review: everything else (borderline similarity, quality problems, missing or multiple faces,
 *   failed or missing liveness).
 *
 * No face in the document is `review`, not `declined`: it says nothing about who the person is
 * (usually glare, the wrong side of the card or a crop), and `declined` is a verdict on identity
 * that a client may act on irreversibly. The same holds for multiple faces (many ID cards carry a
 * second "ghost" portrait; when the evidence builder still found one dominant portrait, the
 * similarity is there and the extra face is ignored).
 *
 * An active challenge whose steps the video did not follow in order is `review` (CHALLENGE_MISMATCH),
 * and so is a photo selfie the tenant's policy does not let be auto-approved.
 *
 * Failed liveness is `review`, never `approved`: passive anti-spoof misjudges real people in poor
 * light often enough that an automatic decline would turn capture problems into fraud verdicts;
 * it still declines when the faces also clearly differ.
 */
export function decide(evidence: Evidence, t: DecisionThresholds, policy: Pick<KycPolicy, 'allowPhotoAutoApprove'> = DEFAULT_KYC_POLICY): Decision {
  const { document, selfie } = evidence;
  const reasons = new Set<DecisionReason>();

  // A similarity despite several document faces means the evidence builder found one dominant
  // portrait (ID cards carry a small "ghost" copy): that document is usable.
  const documentFindings = evidence.similarity !== null && document.faceCount > 1 ? { ...document, faceCount: 1 } : document;
  const documentProblems = faceProblems(documentFindings, 'NO_FACE_IN_DOCUMENT', 'MULTIPLE_FACES_IN_DOCUMENT', t);
  const selfieProblems = faceProblems(selfie.best, 'NO_FACE_IN_SELFIE', 'MULTIPLE_FACES_IN_SELFIE', t);
  if (selfie.maxFacesInFrame > 1) selfieProblems.unshift('MULTIPLE_FACES_IN_SELFIE');
  if (
    selfie.kind === 'video' &&
    selfie.best.faceCount > 0 &&
    selfie.framesWithOneFace / selfie.frames < t.minFramesWithOneFaceRatio
  ) {
    selfieProblems.push('INCONSISTENT_SELFIE_VIDEO');
  }
  for (const r of [...documentProblems, ...selfieProblems]) reasons.add(r);
  const qualityOk = documentProblems.length === 0 && selfieProblems.length === 0;

  const similarity = evidence.similarity;
  if (similarity === null) {
    if (qualityOk) reasons.add('FACE_MATCH_UNAVAILABLE');
  } else {
    if (similarity < t.declineThreshold) reasons.add('FACE_MISMATCH');
    else if (similarity < t.matchThreshold) reasons.add('FACE_MATCH_BORDERLINE');
  }

  const method = evidence.liveness?.method ?? (selfie.kind === 'video' ? 'video-frames' : 'passive-antispoof');
  const livenessScore = evidence.liveness?.score ?? null;
  const livenessPassed = livenessScore !== null && livenessScore >= livenessThreshold(method, t);
  // Without one selfie face there is nothing to judge liveness of; the face reason already says why.
  const selfieHasOneFace = !selfieProblems.some((r) => r === 'NO_FACE_IN_SELFIE' || r === 'MULTIPLE_FACES_IN_SELFIE');
  if (livenessScore === null) {
    if (selfieHasOneFace) reasons.add('LIVENESS_UNAVAILABLE');
  }
  else if (!livenessPassed) reasons.add('LIVENESS_FAILED');
  // An active challenge not followed in order: possibly a replayed video; a person looks.
  if (evidence.challenge && !evidence.challenge.matched) reasons.add('CHALLENGE_MISMATCH');
  // The tenant's policy: a photo selfie that would be approved goes to a person instead.
  if (reasons.size === 0 && selfie.kind === 'photo' && !policy.allowPhotoAutoApprove) reasons.add('PHOTO_AUTO_APPROVE_DISABLED');

  const outcome: Outcome =
    reasons.size === 0
      ? 'approved'
      : qualityOk && reasons.has('FACE_MISMATCH')
        ? 'declined'
        : 'review';

  return {
    outcome,
    reasons: [...reasons],
    faceMatch: { score: similarity, threshold: t.matchThreshold, provider: evidence.provider },
    liveness: { score: livenessScore, passed: livenessPassed, method },
    ...(evidence.challenge
      ? { challenge: { matched: evidence.challenge.matched, steps: evidence.challenge.steps, observed: evidence.challenge.observed } }
      : {}),
  };
}
