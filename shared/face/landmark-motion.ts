/**
 * Non-rigid landmark motion between two views of a face. The frame's 68 landmarks are
 * aligned to the reference by the best 2-D similarity transform (Procrustes: translation,
 * rotation, uniform scale); what the transform cannot explain is the residual. A photo
 * panned, zoomed or turned in the image plane is a similarity transform of itself, so its
 * residual is only landmark jitter; blinks, speech, expressions and head turns (a 3-D
 * rotation projects to a non-similarity) leave a residual.
 */
import type { Point } from './provider';
import { solveLinear } from './planar-fit';

/** Mean of a landmark range (iBUG 68: 36-41 one eye, 42-47 the other). */
function centroid(points: Point[], from: number, to: number): Point {
  let x = 0;
  let y = 0;
  for (let i = from; i <= to; i++) { x += points[i]?.x ?? 0; y += points[i]?.y ?? 0; }
  const n = to - from + 1;
  return { x: x / n, y: y / n };
}

/** Distance between the two eye centres, the scale unit for residuals. */
export function interOcularDistance(landmarks: Point[]): number {
  const a = centroid(landmarks, 36, 41);
  const b = centroid(landmarks, 42, 47);
  return Math.hypot(a.x - b.x, a.y - b.y);
}

/**
 * RMS distance, in inter-ocular distances of the reference, between `reference` and
 * `frame` after aligning `frame` onto `reference` by the best similarity transform.
 * Returns null when the shapes are unusable (different lengths, degenerate).
 */
export function procrustesResidual(reference: Point[], frame: Point[]): number | null {
  const n = reference.length;
  if (n < 3 || frame.length !== n) return null;
  const iod = n === 68 ? interOcularDistance(reference) : 0;
  const rc = centroid(reference, 0, n - 1);
  const fc = centroid(frame, 0, n - 1);
  // Complex-number form: z = reference (centred), w = frame (centred); best c minimises Σ|z - c·w|².
  let wNorm = 0;
  let re = 0;
  let im = 0;
  for (let i = 0; i < n; i++) {
    const zx = (reference[i]?.x ?? 0) - rc.x;
    const zy = (reference[i]?.y ?? 0) - rc.y;
    const wx = (frame[i]?.x ?? 0) - fc.x;
    const wy = (frame[i]?.y ?? 0) - fc.y;
    wNorm += wx * wx + wy * wy;
    re += wx * zx + wy * zy; // Re(conj(w)·z)
    im += wx * zy - wy * zx; // Im(conj(w)·z)
  }
  if (wNorm === 0) return null;
  const cr = re / wNorm;
  const ci = im / wNorm;
  let residual = 0;
  let spread = 0;
  for (let i = 0; i < n; i++) {
    const zx = (reference[i]?.x ?? 0) - rc.x;
    const zy = (reference[i]?.y ?? 0) - rc.y;
    const wx = (frame[i]?.x ?? 0) - fc.x;
    const wy = (frame[i]?.y ?? 0) - fc.y;
    const dx = zx - (cr * wx - ci * wy);
    const dy = zy - (cr * wy + ci * wx);
    residual += dx * dx + dy * dy;
    spread += zx * zx + zy * zy;
  }
  // Without eye landmarks, fall back to the shape's own RMS radius as the unit.
  const unit = iod > 0 ? iod : Math.sqrt(spread / n);
  if (unit === 0) return null;
  return Math.sqrt(residual / n) / unit;
}

/**
 * Like `procrustesResidual`, but the frame is aligned by the best planar homography (8 dof).
 * A flat photo shown to the camera — panned, zoomed, rotated, or tilted as a held print —
 * is a homography of itself, so only landmark jitter is left; expressions, blinks, speech and
 * the parallax of a real head turn are not planar and remain. This is the motion signal
 * video liveness uses (measured against the similarity residual in bench/face-thresholds.json:
 * a tilted print leaves a similarity residual as large as a live face's; see thresholds.ts).
 */
export function homographyResidual(reference: Point[], frame: Point[]): number | null {
  const n = reference.length;
  if (n < 8 || frame.length !== n) return null;
  const unit = n === 68 ? interOcularDistance(reference) : 0;
  if (unit === 0) return null;
  const rc = centroid(reference, 0, n - 1);
  const fc = centroid(frame, 0, n - 1);
  // Centred and scaled to inter-ocular units: keeps the normal equations well conditioned.
  const R = reference.map((p) => [(p.x - rc.x) / unit, (p.y - rc.y) / unit] as const);
  const F = frame.map((p) => [(p.x - fc.x) / unit, (p.y - fc.y) / unit] as const);
  const ata = Array.from({ length: 8 }, () => new Array<number>(8).fill(0));
  const atb = new Array<number>(8).fill(0);
  const add = (row: number[], target: number) => {
    for (let i = 0; i < 8; i++) {
      atb[i]! += row[i]! * target;
      for (let j = 0; j < 8; j++) ata[i]![j]! += row[i]! * row[j]!;
    }
  };
  for (let i = 0; i < n; i++) {
    const [x, y] = F[i]!;
    const [X, Y] = R[i]!;
    add([x, y, 1, 0, 0, 0, -x * X, -y * X], X);
    add([0, 0, 0, x, y, 1, -x * Y, -y * Y], Y);
  }
  const h = solveLinear(ata, atb);
  if (!h) return null;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const [x, y] = F[i]!;
    const [X, Y] = R[i]!;
    const w = h[6]! * x + h[7]! * y + 1;
    const dx = (h[0]! * x + h[1]! * y + h[2]!) / w - X;
    const dy = (h[3]! * x + h[4]! * y + h[5]!) / w - Y;
    sum += dx * dx + dy * dy;
  }
  return Math.sqrt(sum / n);
}

/**
 * Head yaw proxy in [-1, 1] from 68 landmarks: how much closer the nose tip (30) is to one jaw
 * end (16) than to the other (0). 0 facing the camera; positive when the person turns to their
 * own left in an unmirrored image (the nose moves towards image right, towards landmark 16).
 * Scale- and translation-free; a flat photo tilted in perspective barely moves it.
 */
export function yawProxy(landmarks: Point[]): number {
  const nose = landmarks[30];
  const a = landmarks[0];
  const b = landmarks[16];
  if (!nose || !a || !b) return 0;
  const da = Math.hypot(nose.x - a.x, nose.y - a.y);
  const db = Math.hypot(nose.x - b.x, nose.y - b.y);
  return da + db === 0 ? 0 : (da - db) / (da + db);
}

/** Eye aspect ratio (Soukupová & Čech 2016), both eyes averaged: ≈ 0.25–0.35 open, < 0.15 closed. */
export function eyeAspectRatio(landmarks: Point[]): number {
  const d = (i: number, j: number) => Math.hypot((landmarks[i]?.x ?? 0) - (landmarks[j]?.x ?? 0), (landmarks[i]?.y ?? 0) - (landmarks[j]?.y ?? 0));
  const ear = (p: number) => {
    const width = d(p, p + 3);
    return width === 0 ? 0 : (d(p + 1, p + 5) + d(p + 2, p + 4)) / (2 * width);
  };
  return (ear(36) + ear(42)) / 2;
}
