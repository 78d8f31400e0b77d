import { z } from 'zod';

/**
 * Stable reason codes a verification carries: why it was declined or sent to
 * review (decision reasons), or why it failed (failure reasons). Never rename a
 * code that has shipped; clients branch on them. The description is the
 * one-liner the README table shows.
 */
export const REASONS = {
  FACE_MISMATCH: 'The document face and the selfie face are clearly different people.',
  FACE_MATCH_BORDERLINE: 'Similarity is between the decline and match thresholds; a person should look.',
  NO_FACE_IN_DOCUMENT: 'No face was found on the document photo.',
  NO_FACE_IN_SELFIE: 'No face was found in the selfie (or in any video frame).',
  MULTIPLE_FACES_IN_DOCUMENT: 'More than one face was found on the document photo.',
  MULTIPLE_FACES_IN_SELFIE: 'More than one face was found in the selfie (or in some video frame).',
  FACE_MATCH_UNAVAILABLE: 'Both faces were found but no similarity could be computed.',
  FACE_TOO_SMALL: 'A face is smaller than the minimum face size, too small to compare reliably.',
  LOW_QUALITY: 'A face is blurred, badly exposed or otherwise of low quality.',
  INCONSISTENT_SELFIE_VIDEO: 'Too few video frames show exactly one face to judge the video as one person.',
  LIVENESS_FAILED: 'The liveness check did not pass (possible photo of a photo, screen or mask).',
  LIVENESS_UNAVAILABLE: 'No liveness result could be computed for the selfie.',
  CHALLENGE_MISMATCH: "The head movements in the selfie video did not follow the challenge's steps in order.",
  PHOTO_AUTO_APPROVE_DISABLED: "The tenant's KYC policy does not auto-approve photo selfies (`allowPhotoAutoApprove: false`): a person decides.",
  UNREADABLE_MEDIA: 'A file could not be decoded (corrupt, truncated or not really the declared format).',
  VIDEO_TOO_LONG: 'The selfie video is longer than the allowed duration.',
  PROCESSING_FAILED: 'Processing failed repeatedly for a reason unrelated to the media (the message was dead-lettered), or stalled past `kyc.stalledAfterMinutes`.',
} as const;

export type ReasonCode = keyof typeof REASONS;
export const REASON_CODES = Object.keys(REASONS) as [ReasonCode, ...ReasonCode[]];
export const reasonCodeSchema = z.enum(REASON_CODES);

/** Reasons that end a verification as `failed` rather than a decision. */
export const FAILURE_REASONS = ['UNREADABLE_MEDIA', 'VIDEO_TOO_LONG', 'PROCESSING_FAILED'] as const;
export type FailureReason = (typeof FAILURE_REASONS)[number];
export const failureReasonSchema = z.enum(FAILURE_REASONS);

/** Reasons the decision policy can give (everything that is not a failure). */
export type DecisionReason = Exclude<ReasonCode, FailureReason>;
