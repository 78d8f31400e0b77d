import { z } from 'zod';
import { DomainError } from '../errors';
import { decisionSchema, type Decision } from './decision';
import { evidenceSchema } from './evidence-schema';
import { reviewDecisionSchema, reviewViewSchema, toReviewView } from './review/review-decision';
import { failureReasonSchema, type FailureReason } from './reasons';
import { usedChallengeSchema, type UsedChallenge } from './challenges/challenge';

/**
 * Lifecycle. `uploading` is internal: the record is written before the first blob so no
 * blob ever exists without a record that owns it (see `create-verification.ts`); clients
 * see it as `pending`.
 */
export const verificationStatusSchema = z.enum([
  'uploading',
  'pending',
  'processing',
  'approved',
  'declined',
  'review',
  'failed',
]);
export type VerificationStatus = z.infer<typeof verificationStatusSchema>;

export const TERMINAL_STATUSES = ['approved', 'declined', 'review', 'failed'] as const;
export type TerminalStatus = (typeof TERMINAL_STATUSES)[number];
export const isTerminal = (s: VerificationStatus): s is TerminalStatus =>
  (TERMINAL_STATUSES as readonly string[]).includes(s);

/** A stored upload: where it is and what it really is (sniffed, never the declared type). */
export const storedMediaSchema = z.object({
  blobName: z.string().min(1),
  /** Sniffed MIME type, e.g. `image/jpeg`, `video/mp4`. */
  contentType: z.string().min(1),
  sizeBytes: z.number().int().min(0),
});
export type StoredMedia = z.infer<typeof storedMediaSchema>;

export const verificationMediaSchema = z.object({
  document: storedMediaSchema,
  selfie: storedMediaSchema.extend({ kind: z.enum(['photo', 'video']) }),
});
export type VerificationMedia = z.infer<typeof verificationMediaSchema>;

const isoDate = z.iso.datetime({ offset: true });

/** The client's own user id for the subject. */
export const subjectRefSchema = z.string().min(1).max(128);

/**
 * Where the completion webhook goes: https, a DNS name (no IP literal: the first line
 * against requests into private networks; `shared/webhooks` checks resolution), no credentials.
 */
export const callbackUrlSchema = z
  .url({ protocol: /^https$/, hostname: z.regexes.domain })
  .max(2048)
  .refine((u) => {
    const url = new URL(u);
    return url.username === '' && url.password === '';
  }, 'must not contain credentials');

/** The `verifications` document (partition key `/tenantId`). */
export const verificationRecordSchema = z.object({
  id: z.string().min(1),
  tenantId: z.string().min(1),
  /** The client's own user id, ≤ 128 chars. */
  subjectRef: subjectRefSchema.optional(),
  /** https URL the signed `verification.completed` webhook goes to. */
  callbackUrl: callbackUrlSchema.optional(),
  status: verificationStatusSchema,
  /** Present from `pending` on. */
  media: verificationMediaSchema.optional(),
  /** Fingerprint of the POST that created it (`upload.ts`), for Idempotency-Key replays. */
  requestFingerprint: z.string().optional(),
  /** Blob names of frames extracted from a selfie video, in time order. */
  frames: z.array(z.string().min(1)).optional(),
  createdAt: isoDate,
  updatedAt: isoDate,
  decidedAt: isoDate.optional(),
  /** After this the media blobs may be deleted (lifecycle policy / privacy sweep). */
  mediaExpiresAt: isoDate,
  /** After this the record itself goes (Cosmos `ttl` below enforces it in Azure). */
  recordExpiresAt: isoDate,
  /** Set (before the blobs are deleted) when the media went; later pipeline work is a no-op. */
  mediaErasedAt: isoDate.optional(),
  /** Set by DELETE / subject erasure; the retention sweep finishes an erasure whose orchestration was lost. */
  erasureRequestedAt: isoDate.optional(),
  decision: decisionSchema.optional(),
  /** What the face work found, kept with the decision for the review desk (scores and findings, no images). */
  evidence: evidenceSchema.optional(),
  /** A person's decision on a `review` case (`shared/kyc/review/`); `status` is then its outcome. */
  review: reviewDecisionSchema.optional(),
  /** Why a `failed` verification failed. */
  failureReason: failureReasonSchema.optional(),
  /** Azure liveness-with-verify session started for this verification (`liveness-session.ts`); its result replaces photo liveness. */
  livenessSessionId: z.string().min(1).max(128).optional(),
  /** Set when POST announced a liveness session (`livenessSession=true`): the faces step waits for its result. */
  livenessSessionExpected: z.boolean().optional(),
  /** The active liveness challenge the selfie video must follow (`challenges/`); used by this verification only. */
  challenge: usedChallengeSchema.optional(),
  /** Handler runs that started work, for diagnosing retries and poison. */
  attempts: z.object({ frames: z.number().int().min(0), faces: z.number().int().min(0) }),
  /** Cosmos per-item time to live, in seconds (the record retention). */
  ttl: z.number().int().min(1).optional(),
  /** Cosmos ETag; absent on a record not yet stored. */
  _etag: z.string().optional(),
});
export type VerificationRecord = z.infer<typeof verificationRecordSchema>;

/** What may happen to a verification; `decided` ends in the decision's outcome. */
export type StatusChange =
  | { to: 'pending'; media: VerificationMedia; requestFingerprint: string; subjectRef?: string; callbackUrl?: string; challenge?: UsedChallenge; livenessSessionExpected?: boolean }
  | { to: 'processing'; step: 'frames' | 'faces' }
  | { to: 'decided'; decision: Decision }
  | { to: 'failed'; reason: FailureReason };

export type TransitionResult = { changed: boolean; record: VerificationRecord };

const ALLOWED: Record<VerificationStatus, readonly StatusChange['to'][]> = {
  uploading: ['pending', 'failed'],
  pending: ['processing', 'failed'],
  // processing → processing: a retried handler run (counted in `attempts`).
  processing: ['processing', 'decided', 'failed'],
  approved: [],
  declined: [],
  review: [],
  failed: [],
};

const invalidTransition = (from: VerificationStatus, to: string) =>
  new DomainError('invalid-transition', `A ${from} verification cannot become ${to}`, 409, {
    currentStatus: from,
  });

/** Re-applying the final state a verification already has (a handler run twice) changes nothing. */
function sameFinalState(record: VerificationRecord, change: StatusChange): boolean {
  if (change.to === 'failed') return record.status === 'failed' && record.failureReason === change.reason;
  if (change.to !== 'decided') return false;
  const d = record.decision;
  return (
    record.status === change.decision.outcome &&
    d !== undefined &&
    JSON.stringify(decisionSchema.parse(d)) === JSON.stringify(decisionSchema.parse(change.decision))
  );
}

/**
 * Applies one status change, pure. Terminal states are final: re-applying the same final
 * state is a no-op (`changed: false`), anything else there is a 409 `invalid-transition`,
 * as is any change the table above does not allow.
 */
export function applyStatusChange(record: VerificationRecord, change: StatusChange, now: Date): TransitionResult {
  if (isTerminal(record.status)) {
    if (sameFinalState(record, change)) return { changed: false, record };
    throw invalidTransition(record.status, change.to === 'decided' ? change.decision.outcome : change.to);
  }
  if (!ALLOWED[record.status].includes(change.to)) throw invalidTransition(record.status, change.to);
  const at = now.toISOString();
  const base = { ...record, updatedAt: at };
  switch (change.to) {
    case 'pending':
      return {
        changed: true,
        record: {
          ...base,
          status: 'pending',
          media: change.media,
          requestFingerprint: change.requestFingerprint,
          ...(change.subjectRef === undefined ? {} : { subjectRef: change.subjectRef }),
          ...(change.callbackUrl === undefined ? {} : { callbackUrl: change.callbackUrl }),
          ...(change.challenge === undefined ? {} : { challenge: change.challenge }),
          ...(change.livenessSessionExpected ? { livenessSessionExpected: true } : {}),
        },
      };
    case 'processing':
      return {
        changed: true,
        record: {
          ...base,
          status: 'processing',
          attempts: { ...record.attempts, [change.step]: record.attempts[change.step] + 1 },
        },
      };
    case 'decided':
      return {
        changed: true,
        record: { ...base, status: change.decision.outcome, decision: change.decision, decidedAt: at },
      };
    case 'failed':
      return { changed: true, record: { ...base, status: 'failed', failureReason: change.reason, decidedAt: at } };
  }
}

/** A new record as written before any blob: status `uploading`, expiry from the retention settings. */
export function newVerificationRecord(input: {
  id: string;
  tenantId: string;
  now: Date;
  mediaRetentionDays: number;
  recordRetentionDays: number;
}): VerificationRecord {
  const day = 86_400_000;
  const t = input.now.getTime();
  return {
    id: input.id,
    tenantId: input.tenantId,
    status: 'uploading',
    createdAt: input.now.toISOString(),
    updatedAt: input.now.toISOString(),
    mediaExpiresAt: new Date(t + input.mediaRetentionDays * day).toISOString(),
    recordExpiresAt: new Date(t + input.recordRetentionDays * day).toISOString(),
    attempts: { frames: 0, faces: 0 },
    ttl: input.recordRetentionDays * 86_400,
  };
}

/** The public GET representation. */
export const verificationViewSchema = z.object({
  id: z.string(),
  status: z.enum(['pending', 'processing', 'approved', 'declined', 'review', 'failed']),
  subjectRef: z.string().optional(),
  createdAt: z.string(),
  decidedAt: z.string().optional(),
  /** When the verification record expires (GET answers 404 afterwards). */
  expiresAt: z.string(),
  decision: decisionSchema.optional(),
  /** Only for `failed`: why (the shape has no place for it; see report). */
  failureReason: failureReasonSchema.optional(),
  /** A person's decision, once a `review` case is settled (`decision` stays the automated one). */
  review: reviewViewSchema.optional(),
});
export type VerificationView = z.infer<typeof verificationViewSchema>;

/** Exactly the GET /api/v1/verifications/{id} body: no media names, callback URL, tenant or internals. */
export function toApiView(record: VerificationRecord): VerificationView {
  return {
    id: record.id,
    status: record.status === 'uploading' ? 'pending' : record.status,
    ...(record.subjectRef === undefined ? {} : { subjectRef: record.subjectRef }),
    createdAt: record.createdAt,
    ...(record.decidedAt === undefined ? {} : { decidedAt: record.decidedAt }),
    expiresAt: record.recordExpiresAt,
    ...(record.decision === undefined ? {} : { decision: record.decision }),
    ...(record.status === 'failed' && record.failureReason !== undefined
      ? { failureReason: record.failureReason }
      : {}),
    ...(record.review === undefined ? {} : { review: toReviewView(record.review) }),
  };
}
