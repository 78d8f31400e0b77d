/**
 * Liveness of a selfie video from per-frame analyses (pure: no models here). A live person
 * moves non-rigidly — blinks, talks, changes expression, turns the head — while a still
 * photo replayed as a video (looped, panned, zoomed, rotated in the image plane) only moves
 * rigidly. Also checked: one face per frame, the same person throughout, and the passive
 * antispoof/liveness models averaged over the frames. Cut-offs: thresholds.ts.
 */
import type { LivenessFindings } from '../kyc/evidence';
import type { PassiveLiveness, Point } from './provider';
import { homographyResidual, interOcularDistance } from './landmark-motion';
import { measureTextureMotion, type TextureFrame, type TextureMotion } from './texture-motion';
import { VIDEO_LIVENESS } from './thresholds';

/** What video liveness needs from one frame. */
export interface VideoFrameSignals {
  /** Faces found in the frame. */
  faceCount: number;
  /** 68 landmarks of the frame's face when exactly one was found (absent for providers without landmarks). */
  landmarks?: Point[];
  /** Similarity of this frame's face to the reference (best) frame's face; null when not a single-face frame. */
  identitySimilarity: number | null;
  /** Passive liveness of this frame's face, when it was computed. */
  passive?: PassiveLiveness | null;
  /** Frame size in the landmarks' pixels; with it, faces cut by the frame edge are left out of the motion measure. */
  imageWidth?: number;
  imageHeight?: number;
}

/**
 * True when every landmark lies inside the frame with a margin. A face cut by the frame edge
 * (a photo zoomed past the frame, a head leaving it) gets extrapolated landmarks whose
 * distortion looks like expression; such frames do not count as motion evidence.
 */
export function landmarksInsideFrame(f: VideoFrameSignals): boolean {
  if (!f.landmarks || f.imageWidth === undefined || f.imageHeight === undefined) return f.landmarks !== undefined;
  const mx = f.imageWidth * EDGE_MARGIN;
  const my = f.imageHeight * EDGE_MARGIN;
  return f.landmarks.every((p) => p.x >= mx && p.y >= my && p.x <= f.imageWidth! - mx && p.y <= f.imageHeight! - my);
}

/** Margin, as a fraction of the frame side, that landmarks must keep from the edge. */
const EDGE_MARGIN = 0.02;

/** Value at the given quantile (0..1) of a non-empty list. */
export function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[idx] ?? 0;
}

const mean = (v: number[]): number => (v.length === 0 ? 0 : v.reduce((s, x) => s + x, 0) / v.length);

/** Linear ramp: 0 at or below `lo`, 1 at or above `hi`. */
export function ramp(x: number, lo: number, hi: number): number {
  if (hi <= lo) return x >= hi ? 1 : 0;
  return Math.min(1, Math.max(0, (x - lo) / (hi - lo)));
}

/**
 * Non-planar motion of a frame sequence: the 90th percentile, over all pairs of frames, of
 * the landmark residual left after the best planar homography (in inter-ocular distances).
 * All pairs (not "each frame vs. the first") so a blink or a word anywhere in the clip counts
 * and no single frame's jitter is the reference; the percentile (not the maximum) keeps one
 * mis-fitted frame from faking motion.
 */
export function nonRigidMotion(frames: Array<Point[] | undefined>): number | null {
  const usable = frames.filter((f): f is Point[] => f !== undefined && f.length > 0);
  if (usable.length < 2) return null;
  const residuals: number[] = [];
  for (let i = 0; i < usable.length; i++) {
    for (let j = i + 1; j < usable.length; j++) {
      const r = homographyResidual(usable[i]!, usable[j]!);
      if (r !== null) residuals.push(r);
    }
  }
  return residuals.length === 0 ? null : quantile(residuals, 0.9);
}

/** Frames that count as motion evidence: exactly one face, landmarks inside the frame. */
const motionFrames = (frames: VideoFrameSignals[]) => frames.filter((f) => f.faceCount === 1).filter(landmarksInsideFrame);

/**
 * `assessVideoLiveness` with the texture evidence measured on the frames' pixels, by `measure`
 * (default: on this thread; the local provider passes its worker pool's).
 */
export async function assessVideoLivenessOfFrames(
  signals: VideoFrameSignals[],
  images: Buffer[],
  measure: (frames: TextureFrame[]) => Promise<TextureMotion | null> = measureTextureMotion,
): Promise<LivenessFindings> {
  const usable = signals.map((s, i) => ({ s, image: images[i] })).filter(({ s }) => motionFrames([s]).length === 1 && s.landmarks?.length === 68);
  const texture = usable.length >= VIDEO_LIVENESS.minSingleFaceFrames
    ? await measure(usable.map(({ s, image }) => ({ image: image!, landmarks: s.landmarks! })))
    : null;
  return assessVideoLiveness(signals, texture);
}

/** Combines the per-frame signals (and the texture evidence, when measured) into the evidence's liveness findings. */
export function assessVideoLiveness(frames: VideoFrameSignals[], texture: TextureMotion | null = null): LivenessFindings {
  const single = frames.filter((f) => f.faceCount === 1);
  const inside = single.filter(landmarksInsideFrame);
  const motion = inside.length >= VIDEO_LIVENESS.minSingleFaceFrames ? nonRigidMotion(inside.map((f) => f.landmarks)) : null;
  const identities = single.map((f) => f.identitySimilarity).filter((s): s is number => s !== null);
  const passive = single.map((f) => f.passive).filter((p): p is PassiveLiveness => p != null);
  const signals: Record<string, number> = {
    frames: frames.length,
    singleFaceFrames: single.length,
    singleFaceRatio: frames.length === 0 ? 0 : single.length / frames.length,
    identityConsistency: identities.length === 0 ? 0 : Math.min(...identities),
    motionFrames: inside.length,
  };
  if (motion !== null) signals.nonRigidMotion = motion;
  if (texture) {
    signals.textureResidual = texture.all;
    signals.textureEyes = texture.eyes;
    signals.textureMouth = texture.mouth;
    signals.textureRigid = texture.rigid;
  }
  const iods = single.map((f) => f.landmarks).filter((l): l is Point[] => l !== undefined && l.length === 68).map(interOcularDistance);
  if (iods.length > 0) signals.faceIodPx = quantile(iods, 0.5);
  if (passive.length > 0) {
    signals.antispoof = mean(passive.map((p) => p.signals.antispoof ?? p.score));
    signals.liveness = mean(passive.map((p) => p.signals.liveness ?? p.score));
    signals.passive = mean(passive.map((p) => p.score));
  }
  return { score: combineVideoLiveness(signals), method: 'video-frames', signals };
}

/**
 * Score in [0, 1]: the texture evidence (what one homography of the face's pixels cannot
 * explain), capped by identity consistency and by how many frames held exactly one face, and
 * scaled by the passive models when present. Each component is a ramp between the highest value
 * seen in still-photo replays and the lowest seen in live clips (thresholds.ts), so 0.5 sits
 * between the two populations. The 68-point landmark residual (`nonRigidMotion`) is reported but
 * does not score: live clips and replays overlap on it (landmark jitter on a moved photo is as
 * large as a live face's expressions). No texture measurement (fewer than three usable frames,
 * or a provider without landmarks) scores 0: not approved.
 */
export function combineVideoLiveness(signals: Record<string, number>): number {
  const t = VIDEO_LIVENESS;
  if ((signals.singleFaceFrames ?? 0) < t.minSingleFaceFrames) return 0;
  // Faces cut by the frame edge are no motion evidence; too few left: no judgement.
  if ((signals.motionFrames ?? 0) < t.minSingleFaceFrames) return 0;
  // Below this face size landmark jitter is as large as real expressions: no motion evidence.
  if ((signals.faceIodPx ?? 0) < t.minFaceIodPx) return 0;
  // Landmarks far less consistent than any real face's (mis-detections): the alignment behind the texture is meaningless.
  if ((signals.nonRigidMotion ?? 0) > t.maxLandmarkResidual) return 0;
  const motion = ramp(signals.textureResidual ?? 0, t.textureRampLow, t.textureRampHigh);
  const identity = ramp(signals.identityConsistency ?? 0, t.identityRampLow, t.identityRampHigh);
  const framing = ramp(signals.singleFaceRatio ?? 0, t.singleFaceRatioRampLow, 1);
  const passive = signals.passive === undefined ? 1 : ramp(signals.passive, t.passiveRampLow, t.passiveRampHigh);
  return Math.min(motion, identity, framing) * (t.passiveWeight * passive + (1 - t.passiveWeight));
}
