/** Capture-page sessions as the verification routes use them. */
import { type Authenticator } from '../auth';
import { noChallengeRequired, sessionOrApiKey, VerificationSessionStore } from '../kyc/verification-session';
import { COSMOS_CONTAINERS } from '../names';
import { systemClock } from '../platform/clock';
import { cosmosContainer } from '../platform/cosmos';
import { authenticate } from './auth';
import { lazy } from './lazy';

// MERGE SEAM: replace `noChallengeRequired` with the challenges work's port (per-tenant `requireVideoChallenge`).
export const verificationSessions = lazy(
  async () => new VerificationSessionStore(await cosmosContainer(COSMOS_CONTAINERS.verificationSessions), systemClock, noChallengeRequired),
);

/** `X-Session-Token` or the usual API key / JWT. */
export const authenticateSessionOrApiKey: Authenticator = sessionOrApiKey(authenticate, verificationSessions);
