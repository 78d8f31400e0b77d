/**
 * An active liveness challenge: a short list of head movements the server chose, shown to the
 * person while they record their selfie video. A video sent with the challenge's id is approved
 * only if the motion measured in it follows the steps in order (`match-challenge.ts`); a
 * challenge is used once, by one verification, within minutes of issue, so a replayed genuine
 * video (made for an earlier challenge) fails.
 */
import { z } from 'zod';

/**
 * What the person is asked to do, in the person's own terms: `turn-left` = turn the head to
 * their own left (the nose moves towards the right of an unmirrored recording), `turn-right`
 * the opposite, `blink` = close the eyes for about a second while facing the camera.
 */
export const CHALLENGE_STEPS = ['turn-left', 'turn-right', 'blink'] as const;
export const challengeStepSchema = z.enum(CHALLENGE_STEPS);
export type ChallengeStep = z.infer<typeof challengeStepSchema>;

/** The human instruction for each step (shown by a client that does not localise its own). */
export const STEP_INSTRUCTIONS: Record<ChallengeStep, string> = {
  'turn-left': 'turn your head to your left, then back to the camera',
  'turn-right': 'turn your head to your right, then back to the camera',
  blink: 'close your eyes for about a second while facing the camera',
};

/** The `kyc-challenges` document (partition key `/tenantId`). */
export const challengeRecordSchema = z.object({
  id: z.string().min(1).max(64),
  tenantId: z.string().min(1),
  steps: z.array(challengeStepSchema).min(1),
  createdAt: z.iso.datetime({ offset: true }),
  expiresAt: z.iso.datetime({ offset: true }),
  /** The verification that used it; absent while unused. */
  usedBy: z.string().optional(),
  usedAt: z.iso.datetime({ offset: true }).optional(),
  /** Cosmos per-item time to live, in seconds: the record outlives its use only for diagnosis. */
  ttl: z.number().int().min(1),
  _etag: z.string().optional(),
});
export type ChallengeRecord = z.infer<typeof challengeRecordSchema>;

/** A challenge as a verification carries it (copied onto the record when it is used). */
export const usedChallengeSchema = z.object({
  id: z.string().min(1).max(64),
  steps: z.array(challengeStepSchema).min(1),
});
export type UsedChallenge = z.infer<typeof usedChallengeSchema>;

/** The POST /api/v1/verifications/challenges answer. */
export interface ChallengeView {
  id: string;
  expiresAt: string;
  steps: ChallengeStep[];
  /** One sentence for the person, in the steps' order. */
  instructions: string;
}

export function instructionsFor(steps: readonly ChallengeStep[]): string {
  const parts = steps.map((s, i) => `${i === 0 ? 'First' : i === steps.length - 1 ? 'finally' : 'then'} ${STEP_INSTRUCTIONS[s]}`);
  return `Look at the camera. ${parts.join('; ')}.`;
}

export const toChallengeView = (c: ChallengeRecord): ChallengeView => ({
  id: c.id,
  expiresAt: c.expiresAt,
  steps: c.steps,
  instructions: instructionsFor(c.steps),
});
