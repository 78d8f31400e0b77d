/** A synthetic 68-point (iBUG order) face for the pure landmark tests, with an adjustable mouth and eyes. */
import type { Point } from '../../../../shared/face/provider';

const ellipse = (cx: number, cy: number, rx: number, ry: number, n: number, start = 0): Point[] =>
  Array.from({ length: n }, (_, i) => {
    const a = start + (2 * Math.PI * i) / n;
    return { x: cx + rx * Math.cos(a), y: cy + ry * Math.sin(a) };
  });

/** `mouthOpen` and `eyeOpen` are in units of the default inter-ocular distance (60 px). */
export function faceShape(opts: { mouthOpen?: number; eyeOpen?: number } = {}): Point[] {
  const mouthOpen = (opts.mouthOpen ?? 0.05) * 60;
  const eyeOpen = (opts.eyeOpen ?? 0.25) * 60;
  const jaw = Array.from({ length: 17 }, (_, i) => {
    const a = Math.PI * (i / 16);
    return { x: 100 - 70 * Math.cos(a), y: 100 + 80 * Math.sin(a) };
  });
  const brows = [...ellipse(70, 80, 20, 4, 5, Math.PI), ...ellipse(130, 80, 20, 4, 5, Math.PI)];
  const noseBridge = [0, 1, 2, 3].map((i) => ({ x: 100, y: 90 + i * 10 }));
  const nostrils = [-10, -5, 0, 5, 10].map((dx) => ({ x: 100 + dx, y: 132 + Math.abs(dx) * -0.3 }));
  const eyes = [...ellipse(70, 95, 12, eyeOpen / 2, 6, Math.PI), ...ellipse(130, 95, 12, eyeOpen / 2, 6, Math.PI)];
  const mouthOuter = ellipse(100, 160, 30, 8 + mouthOpen / 2, 12, Math.PI);
  const mouthInner = ellipse(100, 160, 20, 1 + mouthOpen / 2, 8, Math.PI);
  return [...jaw, ...brows, ...noseBridge, ...nostrils, ...eyes, ...mouthOuter, ...mouthInner];
}

/** Applies x' = s·R(θ)·x + t: what panning, zooming and in-plane rotation do to a photo. */
export function similarityTransform(points: Point[], s: number, theta: number, tx: number, ty: number): Point[] {
  const c = Math.cos(theta) * s;
  const n = Math.sin(theta) * s;
  return points.map((p) => ({ x: c * p.x - n * p.y + tx, y: n * p.x + c * p.y + ty }));
}

/** Applies a planar homography: what tilting a printed photo towards the camera does. */
export function homography(points: Point[], h: [number, number, number, number, number, number, number, number]): Point[] {
  return points.map((p) => {
    const w = h[6] * p.x + h[7] * p.y + 1;
    return { x: (h[0] * p.x + h[1] * p.y + h[2]) / w, y: (h[3] * p.x + h[4] * p.y + h[5]) / w };
  });
}

/** Deterministic pseudo-random jitter of ±`amount` px (landmark detector noise). */
export function jitter(points: Point[], amount: number, seed: number): Point[] {
  let state = seed;
  const next = () => { state = (state * 1103515245 + 12345) % 2147483648; return state / 2147483648 - 0.5; };
  return points.map((p) => ({ x: p.x + 2 * amount * next(), y: p.y + 2 * amount * next() }));
}
