/**
 * Texture evidence of a non-planar face. A photo moved in front of a camera (panned, zoomed,
 * rotated, tilted) maps frame to frame by one homography — of every pixel, not just of 68
 * landmarks. So: warp each frame onto a reference by the homography that best aligns the
 * face's pixels (Lucas-Kanade, started from the landmark homography, with gain and offset
 * for exposure), and measure what is left. A replay warps almost perfectly (only resampling
 * and compression noise remain); a live face leaves blinks, mouth motion, expressions and the
 * parallax of a 3-D head. The residual is reported per region (eyes, mouth, the rest), in
 * standard deviations of the reference face's brightness.
 */
import { loadSharp } from '../media/load-sharp';
import { fitHomography, solveLinear, type Homography } from './planar-fit';
import type { Point } from './provider';

/** Grid side: the face is compared on GRID × GRID samples (enough for eyelids and lips, cheap in JS). */
const GRID = 48;
const ITERATIONS = [25, 25];
/** Blur (in grid cells) of the coarse and fine alignment passes. */
const PASS_BLUR_CELLS = [2.5, 0.8];
/** Most frame pairs compared: all pairs up to this many frames, otherwise every frame against a few references. */
const ALL_PAIRS_UP_TO = 8;

interface Grey { data: Float32Array; width: number; height: number }

/** Residual of one aligned frame pair: RMS per region, in reference-brightness standard deviations. */
export interface PairResidual { all: number; eyes: number; mouth: number; rigid: number }

export interface TextureMotion {
  /** 90th percentile over frame pairs of each region's residual. */
  all: number;
  eyes: number;
  mouth: number;
  rigid: number;
  /** Pairs aligned. */
  pairs: number;
}

/** Frames the texture measure needs: the image and its single face's 68 landmarks. */
export interface TextureFrame { image: Buffer; landmarks: Point[] }

const quantile = (values: number[], q: number): number => {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))] ?? 0;
};

function bounds(points: Point[]): { x0: number; y0: number; x1: number; y1: number } {
  const xs = points.map((p) => p.x);
  const ys = points.map((p) => p.y);
  return { x0: Math.min(...xs), y0: Math.min(...ys), x1: Math.max(...xs), y1: Math.max(...ys) };
}

async function decodeGrey(image: Buffer, sigma: number): Promise<Grey> {
  let pipeline = loadSharp()(image).greyscale();
  if (sigma >= 0.3) pipeline = pipeline.blur(Math.min(sigma, 100));
  const { data, info } = await pipeline.raw().toBuffer({ resolveWithObject: true });
  const out = new Float32Array(info.width * info.height);
  for (let i = 0; i < out.length; i++) out[i] = data[i * info.channels]!;
  return { data: out, width: info.width, height: info.height };
}

/** Bilinear sample; NaN outside the image. */
function sample(img: Grey, x: number, y: number): number {
  if (!(x >= 0 && y >= 0 && x <= img.width - 1 && y <= img.height - 1)) return NaN;
  const x0 = Math.min(img.width - 2, Math.floor(x));
  const y0 = Math.min(img.height - 2, Math.floor(y));
  const fx = x - x0;
  const fy = y - y0;
  const i = y0 * img.width + x0;
  const d = img.data;
  return (d[i]! * (1 - fx) + d[i + 1]! * fx) * (1 - fy) + (d[i + img.width]! * (1 - fx) + d[i + img.width + 1]! * fx) * fy;
}

type Region = 0 | 1 | 2; // rigid, eyes, mouth

/** The reference face's sampling grid (ref pixel coordinates) and each sample's region. */
function faceGrid(lm: Point[]): { pts: Point[]; region: Region[] } {
  const b = bounds(lm);
  const eyeL = bounds(lm.slice(36, 42));
  const eyeR = bounds(lm.slice(42, 48));
  const mouth = bounds(lm.slice(48, 60));
  const iod = Math.hypot((eyeL.x0 + eyeL.x1 - eyeR.x0 - eyeR.x1) / 2, (eyeL.y0 + eyeL.y1 - eyeR.y0 - eyeR.y1) / 2) || 1;
  const inside = (p: Point, r: typeof b, px: number, py: number) => p.x >= r.x0 - px && p.x <= r.x1 + px && p.y >= r.y0 - py && p.y <= r.y1 + py;
  const pts: Point[] = [];
  const region: Region[] = [];
  for (let j = 0; j < GRID; j++) {
    for (let i = 0; i < GRID; i++) {
      const p = { x: b.x0 + ((i + 0.5) / GRID) * (b.x1 - b.x0), y: b.y0 + ((j + 0.5) / GRID) * (b.y1 - b.y0) };
      pts.push(p);
      region.push(inside(p, eyeL, 0.12 * iod, 0.15 * iod) || inside(p, eyeR, 0.12 * iod, 0.15 * iod) ? 1 : inside(p, mouth, 0.1 * iod, 0.1 * iod) ? 2 : 0);
    }
  }
  return { pts, region };
}

/**
 * Gauss-Newton alignment of `frame` onto the template values `t` sampled at `pts`: the 8
 * homography parameters plus gain and offset. Returns the refined parameters.
 */
function align(frame: Grey, pts: Point[], t: Float32Array, start: number[], iterations: number): number[] {
  const p = [...start];
  const n = pts.length;
  for (let it = 0; it < iterations; it++) {
    const jtj = Array.from({ length: 10 }, () => new Array<number>(10).fill(0));
    const jtr = new Array<number>(10).fill(0);
    const row = new Array<number>(10);
    let used = 0;
    for (let k = 0; k < n; k++) {
      const { x, y } = pts[k]!;
      const d = p[6]! * x + p[7]! * y + 1;
      const wx = (p[0]! * x + p[1]! * y + p[2]!) / d;
      const wy = (p[3]! * x + p[4]! * y + p[5]!) / d;
      const v = sample(frame, wx, wy);
      const gx = (sample(frame, wx + 1, wy) - sample(frame, wx - 1, wy)) / 2;
      const gy = (sample(frame, wx, wy + 1) - sample(frame, wx, wy - 1)) / 2;
      if (Number.isNaN(v) || Number.isNaN(gx) || Number.isNaN(gy)) continue;
      used++;
      const a = p[8]!;
      const r = a * v + p[9]! - t[k]!;
      const ax = (a * gx) / d;
      const ay = (a * gy) / d;
      row[0] = ax * x; row[1] = ax * y; row[2] = ax;
      row[3] = ay * x; row[4] = ay * y; row[5] = ay;
      row[6] = -(ax * wx + ay * wy) * x; row[7] = -(ax * wx + ay * wy) * y;
      row[8] = v; row[9] = 1;
      for (let i = 0; i < 10; i++) {
        jtr[i]! += row[i]! * r;
        for (let j = i; j < 10; j++) jtj[i]![j]! += row[i]! * row[j]!;
      }
    }
    if (used < n / 4) break;
    for (let i = 0; i < 10; i++) {
      for (let j = 0; j < i; j++) jtj[i]![j] = jtj[j]![i]!;
      jtj[i]![i]! *= 1.001; // a little damping (Levenberg) for flat regions
      jtj[i]![i]! += 1e-9;
    }
    const delta = solveLinear(jtj, jtr.map((v) => -v));
    if (!delta) break;
    for (let i = 0; i < 10; i++) p[i]! += delta[i]!;
  }
  return p;
}

/** RMS residual per region of `frame` warped by `p` against the template. */
function residuals(frame: Grey, pts: Point[], region: Region[], t: Float32Array, tStd: number, p: number[]): PairResidual | null {
  const sum = [0, 0, 0];
  const cnt = [0, 0, 0];
  for (let k = 0; k < pts.length; k++) {
    const { x, y } = pts[k]!;
    const d = p[6]! * x + p[7]! * y + 1;
    const v = sample(frame, (p[0]! * x + p[1]! * y + p[2]!) / d, (p[3]! * x + p[4]! * y + p[5]!) / d);
    if (Number.isNaN(v)) continue;
    const r = (p[8]! * v + p[9]! - t[k]!) / tStd;
    sum[region[k]!]! += r * r;
    cnt[region[k]!]!++;
  }
  const total = cnt[0]! + cnt[1]! + cnt[2]!;
  if (total < pts.length / 2) return null;
  const rms = (i: number) => (cnt[i]! > 0 ? Math.sqrt(sum[i]! / cnt[i]!) : 0);
  return { all: Math.sqrt((sum[0]! + sum[1]! + sum[2]!) / total), rigid: rms(0), eyes: rms(1), mouth: rms(2) };
}

/** Sigma (pixels) of `blurCells` grid cells of this frame's face. */
const sigmaFor = (lm: Point[], blurCells: number) => {
  const b = bounds(lm);
  return (blurCells * Math.max(b.x1 - b.x0, b.y1 - b.y0)) / GRID / 2;
};

/** Aligns `frame` onto `ref` and measures the residual; null when the alignment is unusable. */
async function pairResidual(ref: TextureFrame, frame: TextureFrame, decoded: (f: TextureFrame, pass: number) => Promise<Grey>): Promise<PairResidual | null> {
  const h: Homography | null = fitHomography(ref.landmarks, frame.landmarks);
  if (!h) return null;
  const { pts, region } = faceGrid(ref.landmarks);
  let p = [h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7], 1, 0];
  let result: PairResidual | null = null;
  for (let pass = 0; pass < ITERATIONS.length; pass++) {
    const [refImg, img] = await Promise.all([decoded(ref, pass), decoded(frame, pass)]);
    const t = new Float32Array(pts.length);
    let mean = 0;
    for (let k = 0; k < pts.length; k++) { t[k] = sample(refImg, pts[k]!.x, pts[k]!.y); mean += t[k]!; }
    mean /= pts.length;
    if (t.some(Number.isNaN)) return null;
    const tStd = Math.sqrt(t.reduce((s, v) => s + (v - mean) ** 2, 0) / pts.length) || 1;
    p = align(img, pts, t, p, ITERATIONS[pass]!);
    result = residuals(img, pts, region, t, tStd, p);
    if (!result) return null;
  }
  return result;
}

/** Frame pairs to compare: all when few, else each frame against three spread references. */
function pairsOf(n: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  if (n <= ALL_PAIRS_UP_TO) {
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) out.push([i, j]);
    return out;
  }
  const refs = [0, Math.floor(n / 2), n - 1];
  for (const r of refs) for (let j = 0; j < n; j++) if (j !== r && !(refs.includes(j) && j < r)) out.push([r, j]);
  return out;
}

/** Texture residual of a selfie video's single-face frames (null with fewer than two). */
export async function measureTextureMotion(frames: TextureFrame[]): Promise<TextureMotion | null> {
  const usable = frames.filter((f) => f.landmarks.length === 68);
  if (usable.length < 2) return null;
  const cache = new Map<string, Promise<Grey>>();
  const decoded = (f: TextureFrame, pass: number) => {
    const key = `${usable.indexOf(f)}:${pass}`;
    let g = cache.get(key);
    if (!g) { g = decodeGrey(f.image, sigmaFor(f.landmarks, PASS_BLUR_CELLS[pass]!)); cache.set(key, g); }
    return g;
  };
  const results: PairResidual[] = [];
  for (const [i, j] of pairsOf(usable.length)) {
    const r = await pairResidual(usable[i]!, usable[j]!, decoded);
    if (r) results.push(r);
  }
  if (results.length === 0) return null;
  return {
    all: quantile(results.map((r) => r.all), 0.9),
    eyes: quantile(results.map((r) => r.eyes), 0.9),
    mouth: quantile(results.map((r) => r.mouth), 0.9),
    rigid: quantile(results.map((r) => r.rigid), 0.9),
    pairs: results.length,
  };
}
