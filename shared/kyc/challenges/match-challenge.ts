/**
 * Does a video's head motion follow a challenge's steps, in order? Pure: it reads one sample
 * per analysed frame, in time order (yaw proxy and eye aspect ratio from the frame's landmarks,
 * `shared/face/landmark-motion.ts`), labels each frame (turned left, turned right, eyes
 * closed while facing the camera, neutral), collapses runs into events, and requires the events
 * to be exactly the challenge's steps. Exact, not "contains": a video that does every movement
 * several times would otherwise satisfy any challenge.
 */
import type { ChallengeStep } from './challenge';

/** One frame's head pose; null when the frame had no single face. */
export type MotionSample = { yaw: number; eyeAspectRatio: number } | null;

/** Cut-offs measured on real clips (see CHALLENGE_MATCHING in shared/face/thresholds.ts). */
export interface ChallengeMatchThresholds {
  /** Yaw proxy away from the clip's neutral at which a frame counts as turned. */
  turnYaw: number;
  /** Eye aspect ratio, as a share of the clip's open-eye level, at or below which the eyes count as closed. */
  closedEyeRatio: number;
  /** Most frames without a face allowed (a head turned too far loses its landmarks). */
  maxMissingShare: number;
}

export interface ChallengeMatch {
  matched: boolean;
  /** The events seen, in order. */
  observed: ChallengeStep[];
  /** Frames sampled and frames with a face. */
  frames: number;
  framesWithFace: number;
  /** Largest left and right yaw seen (from neutral), for the evidence. */
  maxLeftYaw: number;
  maxRightYaw: number;
  /** Lowest eye aspect ratio, as a share of the open-eye level. */
  minEyeRatio: number;
}

const median = (v: number[]) => {
  const s = [...v].sort((a, b) => a - b);
  return s.length === 0 ? 0 : s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

/** The events the samples show, in order. */
export function observedSteps(samples: MotionSample[], t: ChallengeMatchThresholds): Omit<ChallengeMatch, 'matched'> {
  const present = samples.filter((s): s is NonNullable<MotionSample> => s !== null);
  const neutralYaw = median(present.map((s) => s.yaw));
  const frontal = present.filter((s) => Math.abs(s.yaw - neutralYaw) < t.turnYaw / 2);
  // Open-eye level: the upper half of frontal frames (a long eyes-closed step must not lower it).
  const ears = frontal.map((s) => s.eyeAspectRatio).sort((a, b) => a - b);
  const openEar = median(ears.slice(Math.floor(ears.length / 2))) || 1;
  const labels: Array<ChallengeStep | 'neutral'> = present.map((s) => {
    const yaw = s.yaw - neutralYaw;
    if (yaw >= t.turnYaw) return 'turn-left';
    if (yaw <= -t.turnYaw) return 'turn-right';
    if (Math.abs(yaw) < t.turnYaw / 2 && s.eyeAspectRatio <= t.closedEyeRatio * openEar) return 'blink';
    return 'neutral';
  });
  // A movement held for a single frame is landmark noise (a detector's box on a turned head),
  // not a step: only runs of at least two frames count.
  const held = labels.filter((label, i): label is ChallengeStep => label !== 'neutral' && (labels[i - 1] === label || labels[i + 1] === label));
  const observed: ChallengeStep[] = [];
  for (const label of held) {
    // A run of one movement, even with neutral frames inside it, is one event.
    if (observed.at(-1) !== label) observed.push(label);
  }
  const yaws = present.map((s) => s.yaw - neutralYaw);
  return {
    observed,
    frames: samples.length,
    framesWithFace: present.length,
    maxLeftYaw: Math.max(0, ...yaws),
    maxRightYaw: Math.max(0, ...yaws.map((y) => -y)),
    minEyeRatio: Math.min(1, ...frontal.map((s) => s.eyeAspectRatio / openEar)),
  };
}

/** True only when the observed events are exactly the challenge's steps and enough frames had a face. */
export function matchChallenge(steps: readonly ChallengeStep[], samples: MotionSample[], t: ChallengeMatchThresholds): ChallengeMatch {
  const seen = observedSteps(samples, t);
  const enoughFaces = seen.frames > 0 && 1 - seen.framesWithFace / seen.frames <= t.maxMissingShare;
  const matched = enoughFaces && seen.observed.length === steps.length && seen.observed.every((s, i) => s === steps[i]);
  return { matched, ...seen };
}
