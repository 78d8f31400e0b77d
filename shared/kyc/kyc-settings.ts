import { z } from 'zod';
import {
  LOCAL_DECLINE_THRESHOLD,
  LOCAL_MATCH_THRESHOLD,
  LOCAL_PHOTO_LIVENESS_THRESHOLD,
  LOCAL_VIDEO_LIVENESS_THRESHOLD,
  QUALITY_CUTOFFS,
} from '../face/thresholds';

const MB = 1024 * 1024;

/**
 * Face thresholds: the measured defaults of the local face provider (`shared/face/thresholds.ts`
 * says how each was measured). All are runtime settings, so operators tune them per provider
 * without a deploy. Azure has no passive liveness, so its photo selfies go to review whatever
 * `livenessPhotoThreshold` says; `livenessSessionThreshold` is for Azure's liveness session.
 */
export const DEFAULT_FACE_THRESHOLDS = {
  matchThreshold: LOCAL_MATCH_THRESHOLD,
  declineThreshold: LOCAL_DECLINE_THRESHOLD,
  livenessPhotoThreshold: LOCAL_PHOTO_LIVENESS_THRESHOLD,
  livenessVideoThreshold: LOCAL_VIDEO_LIVENESS_THRESHOLD,
  livenessSessionThreshold: 0.5,
  /** The local provider's own lowest usable face size: smaller faces are graded `low` there too. */
  minFaceSizePx: QUALITY_CUTOFFS.low.minSizePx,
} as const;

const unit = z.number().min(0).max(1);

/**
 * Runtime settings of the KYC pipeline (the `kyc` settings document). Unknown keys
 * are rejected so a typo in a setting name fails loudly instead of silently using a default.
 */
export const kycSettingsSchema = z
  .strictObject({
    /** Similarity in [0, 1] at or above which the two faces count as the same person. */
    matchThreshold: unit.default(DEFAULT_FACE_THRESHOLDS.matchThreshold),
    /** Similarity below which (with good quality on both sides) the faces are clearly different: declined. */
    declineThreshold: unit.default(DEFAULT_FACE_THRESHOLDS.declineThreshold),
    /** Liveness score a still selfie needs (passive anti-spoof). */
    livenessPhotoThreshold: unit.default(DEFAULT_FACE_THRESHOLDS.livenessPhotoThreshold),
    /** Liveness score a selfie video needs (motion and consistency across frames). */
    livenessVideoThreshold: unit.default(DEFAULT_FACE_THRESHOLDS.livenessVideoThreshold),
    /** Liveness score an Azure liveness session needs. */
    livenessSessionThreshold: unit.default(DEFAULT_FACE_THRESHOLDS.livenessSessionThreshold),
    /** Smallest usable face: shorter side of the face box, in pixels of the normalised image. */
    minFaceSizePx: z.number().int().min(1).default(DEFAULT_FACE_THRESHOLDS.minFaceSizePx),
    /** Share of video frames (0..1) that must show exactly one face for the video to count as one person. */
    minFramesWithOneFaceRatio: unit.default(0.6),
    /** Frames taken, evenly spaced, from a selfie video. */
    frameCount: z.number().int().min(1).max(30).default(5),
    /** Frames taken from a video that answers an active challenge: enough to see each head turn and the eyes closed. */
    challengeFrameCount: z.number().int().min(6).max(60).default(24),
    /** Longest the faces step waits for an announced Azure liveness session to finish before deciding without it, in seconds. */
    livenessSessionWaitSeconds: z.number().int().min(10).max(3600).default(600),
    /** How often the faces step looks at a pending liveness session again (a scheduled message each time), in seconds. */
    livenessSessionPollSeconds: z.number().int().min(1).max(300).default(15),
    /** Wall-clock limit for frame extraction, in milliseconds. */
    frameExtractionTimeoutMs: z.number().int().min(1000).default(20_000),
    /** Active messages on `frames` + `faces` above which POST answers 503. */
    backlogLimit: z.number().int().min(1).default(500),
    /** Retry-After sent with a 503 back-pressure answer, in seconds. */
    backlogRetryAfterSeconds: z.number().int().min(1).default(30),
    /** Minutes an unfinished verification may go unchanged before the watchdog fails it (PROCESSING_FAILED). */
    stalledAfterMinutes: z.number().int().min(5).default(30),
    /** Days media blobs are kept after creation. */
    mediaRetentionDays: z.number().int().min(1).default(7),
    /** Days the verification record is kept after creation. */
    recordRetentionDays: z.number().int().min(1).default(90),
    /** Largest document image, in bytes. */
    maxDocumentBytes: z.number().int().min(1).default(15 * MB),
    /** Largest selfie photo, in bytes. */
    maxSelfieImageBytes: z.number().int().min(1).default(15 * MB),
    /** Largest selfie video, in bytes. */
    maxSelfieVideoBytes: z.number().int().min(1).default(50 * MB),
    /** Longest selfie video, in seconds (checked by the frames step: only known after upload). */
    maxSelfieVideoSeconds: z.number().min(1).default(30),
    /** How long an Idempotency-Key is remembered, in hours. */
    idempotencyKeyTtlHours: z.number().int().min(1).default(24),
    /** A claimed but unfinished Idempotency-Key older than this (seconds) is taken over by a retry. */
    idempotencyClaimStaleSeconds: z.number().int().min(30).default(900),
    /** Minutes a case may wait in `review` before it counts as overdue (the `vouch.review.overdue` metric and its alert). */
    reviewSlaMinutes: z.number().int().min(1).default(240),
    /** Minutes the review desk's read-only media links stay valid. */
    reviewLinkMinutes: z.number().int().min(1).max(60).default(10),
  })
  .refine((s) => s.declineThreshold <= s.matchThreshold, {
    message: 'declineThreshold must not exceed matchThreshold',
    path: ['declineThreshold'],
  });

export type KycSettings = z.infer<typeof kycSettingsSchema>;

/** Settings with every default; `parseKycSettings({ frameCount: 8 })` overrides one. */
export const parseKycSettings = (input: unknown = {}): KycSettings => kycSettingsSchema.parse(input);
