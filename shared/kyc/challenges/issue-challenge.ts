/**
 * Issuing and using challenges. `issueChallenge` is the one entry point for every flow that
 * needs one (the API route, a hosted capture session): the server picks the steps.
 */
import { randomInt, randomUUID } from 'node:crypto';
import { conflict, DomainError } from '../../errors';
import type { Clock } from '../../platform/clock';
import type { ChallengeStore } from './challenge-store';
import { toChallengeView, type ChallengeRecord, type ChallengeStep, type ChallengeView, type UsedChallenge } from './challenge';

/** How long a challenge may be used after issue, in seconds. */
export const CHALLENGE_LIFETIME_SECONDS = 120;
/** How long the used or expired record is kept, for diagnosis. */
const RECORD_TTL_SECONDS = 86_400;

export interface ChallengeDeps {
  challenges: ChallengeStore;
  clock: Clock;
  /** Step order; random unless a test fixes it (never settable through the API). */
  chooseSteps?: () => ChallengeStep[];
}

/**
 * Two or three alternating head turns starting with a random side: 4 equally likely sequences.
 * No `blink` step is issued yet: on the real clips we have, the eye aspect ratio of face-api's
 * landmarks did not drop on any sampled frame (bench/challenge-motion.json), so a blink cannot be
 * verified reliably and a genuine person would be sent to review. The matcher understands it.
 */
export function randomSteps(): ChallengeStep[] {
  const first: ChallengeStep = randomInt(2) === 0 ? 'turn-left' : 'turn-right';
  const other: ChallengeStep = first === 'turn-left' ? 'turn-right' : 'turn-left';
  return randomInt(2) === 0 ? [first, other] : [first, other, first];
}

/** Issues a challenge for `tenantId`: stored with the tenant, valid for two minutes, unused. */
export async function issueChallenge(tenantId: string, deps: ChallengeDeps): Promise<ChallengeView> {
  const now = deps.clock.now();
  const challenge: ChallengeRecord = {
    id: randomUUID(),
    tenantId,
    steps: (deps.chooseSteps ?? randomSteps)(),
    createdAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + CHALLENGE_LIFETIME_SECONDS * 1000).toISOString(),
    ttl: RECORD_TTL_SECONDS,
  };
  await deps.challenges.create(challenge);
  return toChallengeView(challenge);
}

const challengeProblem = (code: string, message: string, status: 400 | 409, details: Record<string, unknown> = {}) =>
  new DomainError(code, message, status, details);

/**
 * Uses the challenge for `verificationId`: it must be the tenant's, unexpired and unused (or
 * already used by this same verification: a retried upload). ETag-conditioned, so two uploads
 * racing for one challenge cannot both get it.
 * Problems: 400 `challenge-not-found` (unknown or another tenant's), 400 `challenge-expired`,
 * 409 `challenge-used`.
 */
export async function consumeChallenge(tenantId: string, challengeId: string, verificationId: string, deps: ChallengeDeps): Promise<UsedChallenge> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const challenge = await deps.challenges.get(tenantId, challengeId);
    if (!challenge) throw challengeProblem('challenge-not-found', 'No such challenge for this tenant; request a new one', 400, { challengeId });
    if (challenge.usedBy === verificationId) return { id: challenge.id, steps: challenge.steps };
    if (challenge.usedBy) throw conflict('challenge-used', 'This challenge was already used by another verification; request a new one', { challengeId });
    if (deps.clock.now().getTime() > Date.parse(challenge.expiresAt)) {
      throw challengeProblem('challenge-expired', 'This challenge has expired; request a new one', 400, { challengeId, expiresAt: challenge.expiresAt });
    }
    const used = { ...challenge, usedBy: verificationId, usedAt: deps.clock.now().toISOString() };
    if (await deps.challenges.replaceIfUnchanged(used)) return { id: challenge.id, steps: challenge.steps };
  }
  throw conflict('challenge-used', 'This challenge is being used by another verification', { challengeId });
}
