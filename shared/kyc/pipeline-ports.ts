import type { Clock } from '../platform/clock';
import type { Logger } from '../platform/logger';
import type { MessageSender } from '../platform/messaging';
import type { WebhookEvent } from '../webhooks';
import type { BlobStore } from './blob-store';
import type { Evidence, LivenessFindings } from './evidence';
import type { KycSettings } from './kyc-settings';
import type { UsedChallenge } from './challenges/challenge';
import type { TenantKycPolicy } from './kyc-policy';
import type { VerificationStore } from './verification-store';

/** Extracts evenly spaced JPEG frames from a video file; throws `MediaError` for unusable video. */
export type FrameExtractor = (
  videoPath: string,
  options: { count: number; timeoutMs: number; maxDurationS: number },
) => Promise<Buffer[]>;

/** Normalises any accepted image into the JPEG the face providers take; throws `MediaError` when undecodable. */
export type ImageNormaliser = (image: Buffer) => Promise<Buffer>;

/** The selfie as the faces step hands it on: one normalised photo, or normalised frames. */
export type SelfieImages = { kind: 'photo'; image: Buffer } | { kind: 'video'; frames: Buffer[] };

/** Face analysis of normalised images into `Evidence` (`shared/face` `buildEvidence` with a provider). */
export type EvidenceCollector = (input: { document: Buffer; selfie: SelfieImages; challenge?: UsedChallenge }) => Promise<Evidence>;

/**
 * Queues the signed `verification.completed` webhook to a verification's `callbackUrl`, or without
 * one to the tenant's subscribed endpoints; idempotent by `event.id`.
 */
export type CompletionWebhook = (input: { tenantId: string; callbackUrl?: string | undefined; event: WebhookEvent }) => Promise<void>;

/**
 * Azure's liveness-with-verify sessions for mobile clients (`shared/face/azure/liveness-sessions-port.ts`);
 * absent when the face provider is `local` (no local equivalent).
 */
export interface LivenessSessions {
  /** Creates a session verifying the live face against `verifyImage` (normalised JPEG); the token is for the app only. */
  create(verifyImage: Buffer, options: { deviceCorrelationId?: string }): Promise<{ sessionId: string; authToken: string }>;
  /** The session's liveness findings, or `'pending'` while the app has not finished it. */
  result(sessionId: string): Promise<LivenessFindings | 'pending'>;
}

/** Everything the pipeline steps use, passed by the trigger handlers. */
export interface PipelineDeps {
  verifications: VerificationStore;
  /** The `kyc-media` container. */
  blobs: BlobStore;
  sender: MessageSender;
  settings: KycSettings;
  clock: Clock;
  logger?: Logger;
  extractFrames: FrameExtractor;
  normaliseImage: ImageNormaliser;
  collectEvidence: EvidenceCollector;
  /** Omit to send no webhooks (the `events` message is still sent). */
  webhook?: CompletionWebhook;
  /** Where a video is downloaded for ffmpeg; the OS temp dir by default. */
  tempDir?: string;
  /** When set, a verification with a `livenessSessionId` takes its liveness from that session. */
  livenessSessions?: LivenessSessions;
  /** The tenant's KYC policy for the decision (photo auto-approval); defaults when absent. */
  kycPolicy?: TenantKycPolicy;
}
