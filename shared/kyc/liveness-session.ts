/**
 * Starts Azure's liveness-with-verify session for a mobile client: the verification's
 * document face becomes the verify image, the app gets the session's auth token, and the
 * `faces` step later reads the session's verdict instead of the passive photo liveness
 * (`on-faces-message.ts`). See `LIVENESS.md`.
 */
import { DomainError, notFound } from '../errors';
import type { Clock } from '../platform/clock';
import type { Logger } from '../platform/logger';
import type { BlobStore } from './blob-store';
import type { ImageNormaliser, LivenessSessions } from './pipeline-ports';
import { isTerminal, toApiView, type VerificationRecord } from './verification';
import type { VerificationStore } from './verification-store';

export interface LivenessSessionDeps {
  verifications: VerificationStore;
  /** The `kyc-media` container. */
  blobs: BlobStore;
  normaliseImage: ImageNormaliser;
  /** Absent when the face provider is `local`: sessions exist only in Azure AI Face. */
  livenessSessions?: LivenessSessions;
  clock: Clock;
  logger?: Logger;
}

export interface StartLivenessSessionInput {
  tenantId: string;
  verificationId: string;
  /** Unique per end-user device; Azure uses it for abuse detection. */
  deviceCorrelationId?: string;
}

export interface StartedLivenessSession {
  sessionId: string;
  /** For the mobile SDK only; never logged or stored. */
  authToken: string;
}

export const livenessSessionUnavailable = () =>
  new DomainError(
    'liveness-session-unavailable',
    'Liveness sessions need the Azure face provider (FACE_PROVIDER=azure); the local provider has none',
    409,
  );

/** 409 with the client-visible status (`uploading` shows as `pending`, as in GET). */
const illegalState = (record: VerificationRecord, why: string) =>
  new DomainError('illegal-state', `A ${toApiView(record).status} verification ${why}`, 409, {
    currentStatus: toApiView(record).status,
  });

/** Checks the record can take a session; returns its document blob name. */
function documentBlobOf(record: VerificationRecord): string {
  if (isTerminal(record.status)) throw illegalState(record, 'is already decided; a liveness session can no longer change it');
  // `uploading`: POST has not stored the document yet.
  if (!record.media) throw illegalState(record, 'has no stored document yet; retry shortly');
  return record.media.document.blobName;
}

/**
 * Creates a session for the verification and records its id under the record's ETag.
 * A repeated call starts a new session that replaces the recorded one (the app's retry).
 */
export async function startLivenessSession(
  input: StartLivenessSessionInput,
  deps: LivenessSessionDeps,
): Promise<StartedLivenessSession> {
  const sessions = deps.livenessSessions;
  if (!sessions) throw livenessSessionUnavailable();
  const { tenantId, verificationId } = input;
  const record = await deps.verifications.get(tenantId, verificationId);
  if (!record) throw notFound('Verification');

  const verifyImage = await deps.normaliseImage(await deps.blobs.download(documentBlobOf(record)));
  const session = await sessions.create(
    verifyImage,
    input.deviceCorrelationId === undefined ? {} : { deviceCorrelationId: input.deviceCorrelationId },
  );
  await deps.verifications.update(tenantId, verificationId, (current) => {
    documentBlobOf(current); // decided meanwhile: the session would be ignored, say so
    if (current.livenessSessionId === session.sessionId) return undefined;
    return { ...current, livenessSessionId: session.sessionId, updatedAt: deps.clock.now().toISOString() };
  });
  deps.logger?.info(`liveness session ${session.sessionId} started for verification ${verificationId}`);
  return { sessionId: session.sessionId, authToken: session.authToken };
}
