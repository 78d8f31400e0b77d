/**
 * Azure's liveness-with-verify session for mobile clients: the backend creates a session
 * with the document's face as the verify image and hands `authToken` to the app; the
 * Azure Vision SDK on the phone runs the liveness check; the backend then reads the
 * session's result (liveness decision + match against the verify image).
 */
import { isUnexpected } from '@azure-rest/ai-vision-face';
import type { LivenessFindings } from '../../kyc/evidence';
import type { FaceClient } from './face-client';
import { azureFaceError } from './azure-error';

export interface CreateLivenessSessionInput {
  /** The document's face image (JPEG) the live face is verified against. */
  verifyImage: Buffer;
  /** `Passive` (no user action) or `PassiveActive` (adds a head turn); Azure's default for new apps is PassiveActive. */
  livenessOperationMode?: 'Passive' | 'PassiveActive';
  /** Unique per end-user device; Azure uses it for rate limiting and abuse detection. */
  deviceCorrelationId?: string;
  /** Lifetime of the client's token in seconds (60..86400; Azure's default is 600). */
  authTokenTimeToLiveInSeconds?: number;
}

export interface LivenessSession {
  sessionId: string;
  /** Bearer token for the mobile SDK only; never log it. */
  authToken: string;
}

export async function createLivenessSession(client: FaceClient, input: CreateLivenessSessionInput): Promise<LivenessSession> {
  const parts = [
    { name: 'livenessOperationMode' as const, body: input.livenessOperationMode ?? 'PassiveActive' },
    { name: 'verifyImage' as const, body: new Uint8Array(input.verifyImage), filename: 'verify.jpg', contentType: 'image/jpeg' },
    ...(input.deviceCorrelationId ? [{ name: 'deviceCorrelationId' as const, body: input.deviceCorrelationId }] : []),
    ...(input.authTokenTimeToLiveInSeconds ? [{ name: 'authTokenTimeToLiveInSeconds' as const, body: input.authTokenTimeToLiveInSeconds }] : []),
  ];
  const response = await client.path('/detectLivenessWithVerify-sessions').post({ contentType: 'multipart/form-data', body: parts });
  if (isUnexpected(response)) throw azureFaceError('create liveness session', response);
  return { sessionId: response.body.sessionId, authToken: response.body.authToken };
}

export interface LivenessSessionResult {
  /** `NotStarted`, `Running`, `Succeeded`, `Failed`, `Canceled` (Azure's operation state). */
  status: string;
  /** Decision of the latest finished attempt: `realface`, `spoofface`, `uncertain`; null before one finished. */
  livenessDecision: string | null;
  /** Match confidence of the live face against the verify image, in [0, 1]; null before an attempt finished. */
  matchConfidence: number | null;
  isIdentical: boolean | null;
  /** Number of attempts the client made (Azure allows 3 per session). */
  attempts: number;
}

/** Reads a session's outcome (poll until `status` is `Succeeded`/`Failed`, or react to the client's callback). */
export async function getLivenessSessionResult(client: FaceClient, sessionId: string): Promise<LivenessSessionResult> {
  const response = await client.path('/detectLivenessWithVerify-sessions/{sessionId}', sessionId).get();
  if (isUnexpected(response)) throw azureFaceError('get liveness session', response);
  const attempts = response.body.results?.attempts ?? [];
  const last = [...attempts].sort((a, b) => b.attemptId - a.attemptId).find((a) => a.result);
  return {
    status: response.body.status,
    livenessDecision: last?.result?.livenessDecision ?? null,
    matchConfidence: last?.result?.verifyResult?.matchConfidence ?? null,
    isIdentical: last?.result?.verifyResult?.isIdentical ?? null,
    attempts: attempts.length,
  };
}

/** Revokes a session (e.g. after the result was read): the client token stops working. Idempotent. */
export async function deleteLivenessSession(client: FaceClient, sessionId: string): Promise<void> {
  const response = await client.path('/detectLivenessWithVerify-sessions/{sessionId}', sessionId).delete();
  // 204 per the API spec; 404 means it is already gone, which is what we wanted.
  if (response.status === '404') return;
  if (isUnexpected(response)) throw azureFaceError('delete liveness session', response);
}

/** The session outcome as evidence liveness: realface → 1, uncertain → 0.5, spoofface/none → 0. */
export function livenessFindingsFromSession(result: LivenessSessionResult): LivenessFindings {
  const score = result.livenessDecision === 'realface' ? 1 : result.livenessDecision === 'uncertain' ? 0.5 : 0;
  const signals: Record<string, number> = { attempts: result.attempts };
  if (result.matchConfidence !== null) signals.matchConfidence = result.matchConfidence;
  return { score, method: 'azure-liveness-session', signals };
}
