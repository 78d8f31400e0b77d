/**
 * The head motion of a selfie video against its active challenge: per-frame yaw and eye
 * aspect ratio from the frames' landmarks, matched in order by `kyc/challenges/match-challenge.ts`.
 */
import type { ChallengeFindings } from '../kyc/evidence';
import type { ChallengeStep } from '../kyc/challenges/challenge';
import { matchChallenge, type MotionSample } from '../kyc/challenges/match-challenge';
import { eyeAspectRatio, yawProxy } from './landmark-motion';
import { CHALLENGE_MATCHING } from './thresholds';
import type { VideoFrameSignals } from './video-liveness';

/** One sample per frame, in time order; null where the frame had no single face with landmarks. */
export function motionSamples(frames: VideoFrameSignals[]): MotionSample[] {
  return frames.map((f) =>
    f.faceCount === 1 && f.landmarks?.length === 68 ? { yaw: yawProxy(f.landmarks), eyeAspectRatio: eyeAspectRatio(f.landmarks) } : null,
  );
}

export function challengeFindings(steps: ChallengeStep[], frames: VideoFrameSignals[]): ChallengeFindings {
  const { matched, observed, ...signals } = matchChallenge(steps, motionSamples(frames), CHALLENGE_MATCHING);
  return { steps, observed, matched, signals };
}
