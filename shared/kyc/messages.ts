import { z } from 'zod';
import { outcomeSchema } from './decision';
import { failureReasonSchema, reasonCodeSchema } from './reasons';
import { callbackUrlSchema, subjectRefSchema, verificationMediaSchema } from './verification';
import { usedChallengeSchema } from './challenges/challenge';

/** Names a verification; the body of `frames` and `faces` messages. */
export const verificationRefSchema = z.object({
  tenantId: z.string().min(1),
  verificationId: z.string().min(1),
});
export type VerificationRef = z.infer<typeof verificationRefSchema>;

/** `frames` queue: extract frames from this verification's selfie video. */
export const framesMessageSchema = verificationRefSchema;
export type FramesMessage = z.infer<typeof framesMessageSchema>;

/**
 * `faces` queue: analyse this verification's document and selfie (photo or frames). `livenessWait`
 * counts the scheduled re-deliveries while an Azure liveness session is still running.
 */
export const facesMessageSchema = verificationRefSchema.extend({ livenessWait: z.number().int().min(1).optional() });
export type FacesMessage = z.infer<typeof facesMessageSchema>;

/** Deterministic message ids: a repeated producer run yields the same id, which the broker drops. */
export const messageIds = {
  frames: (verificationId: string) => `${verificationId}:frames`,
  faces: (verificationId: string) => `${verificationId}:faces`,
  /** The n-th look at a pending liveness session: a new message (never a redelivery), once per round. */
  facesLivenessWait: (verificationId: string, round: number) => `${verificationId}:faces:liveness-wait:${round}`,
  completed: (verificationId: string) => `${verificationId}:verification.completed`,
  /** A person's decision on a review case: an event of its own, after the automated `review` one. */
  reviewed: (verificationId: string) => `${verificationId}:verification.completed:reviewed`,
};

/**
 * `${tenantId}/${verificationId}/manifest.json`: written by POST after every media blob
 * committed. Its blob trigger is the pipeline's start: it fires once, after all media
 * exist, so the fan-out never races an upload still in progress.
 */
export const uploadManifestSchema = z.object({
  tenantId: z.string().min(1),
  verificationId: z.string().min(1),
  media: verificationMediaSchema,
  requestFingerprint: z.string(),
  subjectRef: subjectRefSchema.optional(),
  callbackUrl: callbackUrlSchema.optional(),
  /** The client said it will run an Azure liveness session (`livenessSession=true`): the faces step waits for it. */
  livenessSessionExpected: z.boolean().optional(),
  /** The active liveness challenge the video answers, already used for this verification. */
  challenge: usedChallengeSchema.optional(),
});
export type UploadManifest = z.infer<typeof uploadManifestSchema>;

/** A verification reached a terminal state: the `verification.completed` webhook's payload. Ids and codes only. */
export const verificationCompletedEventSchema = z.object({
  type: z.literal('verification.completed'),
  /** Deterministic: `${verificationId}:verification.completed`. */
  id: z.string(),
  tenantId: z.string(),
  verificationId: z.string(),
  status: z.enum(['approved', 'declined', 'review', 'failed']),
  /** Decision outcome; absent when failed. */
  outcome: outcomeSchema.optional(),
  /** Decision reasons, or the failure reason alone. */
  reasons: z.array(reasonCodeSchema),
  failureReason: failureReasonSchema.optional(),
  decidedAt: z.string(),
  /** True when a person settled a review case (`outcome` and `decidedAt` are theirs); absent for the pipeline's own decisions. */
  reviewed: z.literal(true).optional(),
});
export type VerificationCompletedEvent = z.infer<typeof verificationCompletedEventSchema>;
