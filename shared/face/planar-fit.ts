/**
 * Planar (homography) geometry for liveness: a flat photo moved in front of a camera — panned,
 * zoomed, rotated, tilted — maps frame to frame by one 3×3 homography. These helpers fit one
 * to point pairs and apply it; `texture-motion.ts` refines it on the pixels.
 */
import type { Point } from './provider';

/** Row-major 3×3 homography with h[8] = 1: x' = (h0 x + h1 y + h2) / (h6 x + h7 y + 1), y' likewise with h3..h5. */
export type Homography = [number, number, number, number, number, number, number, number, number];

/** Solves the square system A·x = b by Gaussian elimination with partial pivoting; null if singular. */
export function solveLinear(a: number[][], b: number[]): number[] | null {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i] ?? 0]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r]![c]!) > Math.abs(m[p]![c]!)) p = r;
    [m[c], m[p]] = [m[p]!, m[c]!];
    const pivot = m[c]![c]!;
    if (Math.abs(pivot) < 1e-12) return null;
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = m[r]![c]! / pivot;
      for (let k = c; k <= n; k++) m[r]![k]! -= f * m[c]![k]!;
    }
  }
  return m.map((row, i) => row[n]! / row[i]!);
}

/** Maps a point by `h`. */
export function applyHomography(h: Homography, x: number, y: number): Point {
  const w = h[6] * x + h[7] * y + 1;
  return { x: (h[0] * x + h[1] * y + h[2]) / w, y: (h[3] * x + h[4] * y + h[5]) / w };
}

/**
 * Least-squares homography taking `from[i]` to `to[i]` (at least 4 pairs). Points are centred
 * and scaled first (Hartley normalisation) so the normal equations stay well conditioned.
 */
export function fitHomography(from: Point[], to: Point[]): Homography | null {
  const n = from.length;
  if (n < 4 || to.length !== n) return null;
  const norm = (pts: Point[]) => {
    const cx = pts.reduce((s, p) => s + p.x, 0) / n;
    const cy = pts.reduce((s, p) => s + p.y, 0) / n;
    const d = pts.reduce((s, p) => s + Math.hypot(p.x - cx, p.y - cy), 0) / n || 1;
    return { cx, cy, k: Math.SQRT2 / d };
  };
  const a = norm(from);
  const b = norm(to);
  const ata = Array.from({ length: 8 }, () => new Array<number>(8).fill(0));
  const atb = new Array<number>(8).fill(0);
  const add = (row: number[], target: number) => {
    for (let i = 0; i < 8; i++) {
      atb[i]! += row[i]! * target;
      for (let j = 0; j < 8; j++) ata[i]![j]! += row[i]! * row[j]!;
    }
  };
  for (let i = 0; i < n; i++) {
    const x = (from[i]!.x - a.cx) * a.k;
    const y = (from[i]!.y - a.cy) * a.k;
    const X = (to[i]!.x - b.cx) * b.k;
    const Y = (to[i]!.y - b.cy) * b.k;
    add([x, y, 1, 0, 0, 0, -x * X, -y * X], X);
    add([0, 0, 0, x, y, 1, -x * Y, -y * Y], Y);
  }
  const s = solveLinear(ata, atb);
  if (!s) return null;
  // H = Tb⁻¹ · Hn · Ta, with Ta: p → k(p - c).
  const hn = [s[0]!, s[1]!, s[2]!, s[3]!, s[4]!, s[5]!, s[6]!, s[7]!, 1];
  const ta = [a.k, 0, -a.k * a.cx, 0, a.k, -a.k * a.cy, 0, 0, 1];
  const tbInv = [1 / b.k, 0, b.cx, 0, 1 / b.k, b.cy, 0, 0, 1];
  const h = mul3(tbInv, mul3(hn, ta));
  const scale = h[8]!;
  if (Math.abs(scale) < 1e-12) return null;
  return h.map((v) => v / scale) as Homography;
}

/** 3×3 matrix product, row-major. */
export function mul3(p: number[], q: number[]): number[] {
  const r = new Array<number>(9).fill(0);
  for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) for (let k = 0; k < 3; k++) r[i * 3 + j]! += p[i * 3 + k]! * q[k * 3 + j]!;
  return r;
}
