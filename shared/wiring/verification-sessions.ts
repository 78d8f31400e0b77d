/** Capture-page sessions as the verification routes use them. */
import { type Authenticator } from '../auth';
import { type ChallengeRequirement, sessionOrApiKey, VerificationSessionStore } from '../kyc/verification-session';
import { COSMOS_CONTAINERS } from '../names';
import { systemClock } from '../platform/clock';
import { cosmosContainer } from '../platform/cosmos';
import { authenticate } from './auth';
import { getTenantKycPolicy } from './kyc';
import { lazy } from './lazy';

/** The tenant's KYC policy decides; the upload enforces the same policy (`challenge-required`). */
const videoChallengeRequired: ChallengeRequirement = async (tenantId) => (await getTenantKycPolicy(tenantId)).requireVideoChallenge;

export const verificationSessions = lazy(
  async () => new VerificationSessionStore(await cosmosContainer(COSMOS_CONTAINERS.verificationSessions), systemClock, videoChallengeRequired),
);

/** `X-Session-Token` or the usual API key / JWT. */
export const authenticateSessionOrApiKey: Authenticator = sessionOrApiKey(authenticate, verificationSessions);
