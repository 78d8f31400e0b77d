/** The KYC domain's ports, built from the platform clients on first use. */
import { readFaceSettings, selectFaceProvider } from '../face/select-provider';
import { createAzureBlobStore } from '../kyc/blob-store';
import { createVerificationApi, type VerificationApi } from '../kyc/create-verification';
import { createIdempotencyStore } from '../kyc/idempotency-store';
import { evidenceCollectorFor, ffmpegFrameExtractor, sharpImageNormaliser } from '../kyc/media-ports';
import type { LivenessSessionDeps } from '../kyc/liveness-session';
import type { EvidenceCollector, LivenessSessions, PipelineDeps } from '../kyc/pipeline-ports';
import { createVerificationStore } from '../kyc/verification-store';
import { createChallengeStore } from '../kyc/challenges/challenge-store';
import type { ChallengeDeps } from '../kyc/challenges/issue-challenge';
import { createKycPolicyStore, type TenantKycPolicy } from '../kyc/kyc-policy';
import { BLOB_CONTAINERS, COSMOS_CONTAINERS } from '../names';
import { blobContainer } from '../platform/blob';
import { systemClock, type Clock } from '../platform/clock';
import { cosmosContainer } from '../platform/cosmos';
import type { Logger } from '../platform/logger';
import { serviceBus } from '../platform/service-bus';
import { lazy } from './lazy';
import { SETTINGS, settingsStore } from './settings';
import { sendWebhook } from './webhooks';

let clockOverride: Clock | undefined;

/** The app's clock for KYC and privacy: deadlines are computed from it. Tests may move it. */
export const appClock: Clock = { now: () => (clockOverride ?? systemClock).now() };

/** Tests: the app reads time from `clock` until the returned function restores the system clock. */
export function useClockForTests(clock: Clock): () => void {
  clockOverride = clock;
  return () => {
    clockOverride = undefined;
  };
}

export const kycStores = lazy(async () => ({
  verifications: createVerificationStore(await cosmosContainer(COSMOS_CONTAINERS.verifications)),
  idempotency: createIdempotencyStore(await cosmosContainer(COSMOS_CONTAINERS.idempotency)),
  blobs: createAzureBlobStore(await blobContainer(BLOB_CONTAINERS.kycMedia)),
}));

export const kycSettings = async () => (await settingsStore()).get(SETTINGS.kyc);

/** Active liveness challenges: stored per tenant in `kyc-challenges`. */
export const challengeDeps = lazy(async (): Promise<ChallengeDeps> => ({
  challenges: createChallengeStore(await cosmosContainer(COSMOS_CONTAINERS.kycChallenges)),
  clock: appClock,
}));

/** Tenants' KYC policies (documents `kyc-policy:{tenantId}` of the `settings` container). */
export const kycPolicies = lazy(async () => createKycPolicyStore(await cosmosContainer(COSMOS_CONTAINERS.settings)));

/**
 * A tenant's KYC policy (defaults when never set). The port other flows read, e.g. a capture
 * page deciding whether to fetch a challenge before recording.
 */
export const getTenantKycPolicy: TenantKycPolicy = async (tenantId) => (await kycPolicies()).get(tenantId);

/** The POST/GET API; settings are read per request so a change applies without restart. */
export async function verificationApi(logger: Logger): Promise<VerificationApi> {
  const { verifications, idempotency, blobs } = await kycStores();
  return createVerificationApi({
    verifications,
    idempotency,
    blobs,
    queueDepth: serviceBus(),
    settings: await kycSettings(),
    clock: appClock,
    logger,
    challenges: await challengeDeps(),
    kycPolicy: getTenantKycPolicy,
  });
}

// The face engine loads its models once per process: on the first pipeline step (see prewarmFaceEngine).
const faceProvider = lazy(() => selectFaceProvider());
const evidenceCollector: () => Promise<EvidenceCollector> = lazy(async () => evidenceCollectorFor(await faceProvider()));
let warming: Promise<void> | undefined;

/**
 * Starts the face engine in the background (local: one worker per core, models loaded, kernels
 * compiled; about a second of CPU per worker), so the first verification's faces step does not
 * wait for it. Called by the pipeline's first steps; once per process, never on the HTTP path.
 */
export function prewarmFaceEngine(): void {
  warming ??= faceProvider().then((provider) => provider.warmUp?.()).catch(() => {
    warming = undefined; // a failure resurfaces on the faces step, which loads the engine itself
  });
}

/** Azure liveness sessions, only with FACE_PROVIDER=azure (undefined for `local`, which has none). */
const livenessSessions: () => Promise<LivenessSessions | undefined> = lazy(async () => {
  const settings = readFaceSettings();
  if (settings.FACE_PROVIDER !== 'azure') return undefined;
  const [{ createAzureFaceClient }, { createAzureLivenessSessions }] = await Promise.all([
    import('../face/azure/face-client'), import('../face/azure/liveness-sessions-port'),
  ]);
  return createAzureLivenessSessions(createAzureFaceClient({ endpoint: settings.FACE_ENDPOINT, apiKey: settings.FACE_API_KEY }));
});

/** What POST /verifications/{id}/liveness-session needs. */
export async function livenessSessionDeps(logger: Logger): Promise<LivenessSessionDeps> {
  const { verifications, blobs } = await kycStores();
  const sessions = await livenessSessions();
  return {
    verifications,
    blobs,
    normaliseImage: sharpImageNormaliser,
    clock: appClock,
    logger,
    ...(sessions ? { livenessSessions: sessions } : {}),
  };
}

export async function pipelineDeps(logger: Logger): Promise<PipelineDeps> {
  const { verifications, blobs } = await kycStores();
  const sessions = await livenessSessions();
  return {
    ...(sessions ? { livenessSessions: sessions } : {}),
    verifications,
    blobs,
    sender: serviceBus(),
    settings: await kycSettings(),
    clock: appClock,
    logger,
    extractFrames: ffmpegFrameExtractor,
    normaliseImage: sharpImageNormaliser,
    collectEvidence: async (input) => (await evidenceCollector())(input),
    webhook: ({ tenantId, callbackUrl, event }) => sendWebhook({ tenantId, callbackUrl, event }),
    kycPolicy: getTenantKycPolicy,
  };
}
