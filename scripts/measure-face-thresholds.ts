/**
 * Measures the local face provider on real people and writes bench/face-thresholds.json:
 *  - identity: genuine pairs (frames ≥ 1 s apart in one real clip, and a degraded
 *    "document-like" copy of an early frame vs. later frames) against impostor pairs (faces of
 *    different clips, faces of the face-api sample photos, the two people of the two-person clip);
 *    EER and FAR/FRR at candidate thresholds on the provider's [0, 1] similarity scale;
 *  - liveness: the video-liveness signals of the real clips vs. still-photo replays made from
 *    their frames and from the sample photos (looped, zoomed, panned, rotated, tilted).
 * Run: node dist/scripts/measure-face-thresholds.js  (about 5 minutes on 2 cores).
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { createLocalFaceProvider } from '../shared/face/local/local-provider';
import type { DetectedFace, FaceProvider } from '../shared/face/provider';
import { assessSelfieVideo } from '../shared/face/evidence-builder';
import {
  extractFrames, LIVE_VIDEO_DIR, sampleImagePaths, SINGLE_PERSON_CLIPS, STILL_MOTIONS, stillPhotoVideoFrames, TWO_PERSON_CLIP,
} from '../tests/integration/face/face-fixtures';
import { readFile } from 'node:fs/promises';

const FPS = 4;
const MIN_GAP_FRAMES = FPS; // genuine pairs at least 1 s apart

interface Labelled { identity: string; frame: number; face: DetectedFace; kind: 'clip' | 'document' | 'photo' }

/** Document-like copies of a frame: printed-and-scanned look (softer, compressed, recoloured). */
async function documentLike(frame: Buffer): Promise<Buffer[]> {
  const meta = await sharp(frame).metadata();
  const w = meta.width ?? 360;
  return Promise.all([
    sharp(frame).resize(Math.round(w / 2)).modulate({ brightness: 1.15, saturation: 0.6 }).jpeg({ quality: 30 }).toBuffer(),
    sharp(frame).blur(1.2).linear(0.8, 30).jpeg({ quality: 40 }).toBuffer(),
    sharp(frame).greyscale().jpeg({ quality: 50 }).toBuffer(),
  ]);
}

function summarise(values: number[]): Record<string, number> {
  const s = [...values].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.max(0, Math.ceil(p * s.length) - 1))] ?? NaN;
  return { n: s.length, min: s[0] ?? NaN, p01: q(0.01), p05: q(0.05), p50: q(0.5), p95: q(0.95), p99: q(0.99), max: s[s.length - 1] ?? NaN };
}

/** False accept rate (impostors ≥ t) and false reject rate (genuine < t). */
function rates(genuine: number[], impostor: number[], t: number): { far: number; frr: number } {
  return { far: impostor.filter((s) => s >= t).length / impostor.length, frr: genuine.filter((s) => s < t).length / genuine.length };
}

function equalErrorRate(genuine: number[], impostor: number[]): { eer: number; threshold: number } {
  let best = { eer: 1, threshold: 0, gap: Infinity };
  for (let t = 0; t <= 1.0001; t += 0.0025) {
    const { far, frr } = rates(genuine, impostor, t);
    if (Math.abs(far - frr) < best.gap) best = { eer: (far + frr) / 2, threshold: t, gap: Math.abs(far - frr) };
  }
  return { eer: best.eer, threshold: best.threshold };
}

async function analyseFaces(provider: FaceProvider, image: Buffer): Promise<DetectedFace[]> {
  return (await provider.analyseImage(image)).faces;
}

async function identityMeasurement(provider: FaceProvider) {
  const faces: Labelled[] = [];
  const detection: Record<string, { frames: number; withFace: number }> = {};
  for (const clip of SINGLE_PERSON_CLIPS) {
    const frames = await extractFrames(path.join(LIVE_VIDEO_DIR, clip), { fps: FPS });
    detection[clip] = { frames: frames.length, withFace: 0 };
    for (const [i, frame] of frames.entries()) {
      const [face] = await analyseFaces(provider, frame);
      if (!face) continue;
      detection[clip]!.withFace++;
      faces.push({ identity: clip, frame: i, face, kind: 'clip' });
      if (i === 0) {
        for (const doc of await documentLike(frame)) {
          const [docFace] = await analyseFaces(provider, doc);
          if (docFace) faces.push({ identity: clip, frame: -1, face: docFace, kind: 'document' });
        }
      }
    }
  }
  for (const [p, file] of sampleImagePaths().entries()) {
    for (const [j, face] of (await analyseFaces(provider, await readFile(file))).entries()) {
      faces.push({ identity: `sample${p + 1}#${j}`, frame: 0, face, kind: 'photo' });
    }
  }
  const genuine: number[] = [];
  const genuineDocument: number[] = [];
  const impostor: number[] = [];
  for (let i = 0; i < faces.length; i++) {
    for (let j = i + 1; j < faces.length; j++) {
      const a = faces[i]!;
      const b = faces[j]!;
      const sim = await provider.similarity(a.face.faceRef, b.face.faceRef);
      if (a.identity === b.identity) {
        if (a.kind === 'document' && b.kind === 'document') continue;
        if (a.kind === 'document' || b.kind === 'document') {
          if (Math.max(a.frame, b.frame) >= MIN_GAP_FRAMES) genuineDocument.push(sim);
        } else if (Math.abs(a.frame - b.frame) >= MIN_GAP_FRAMES) genuine.push(sim);
      } else if (a.kind === 'photo' && b.kind === 'photo' && a.identity.split('#')[0] !== b.identity.split('#')[0]) {
        // Faces of two different sample photos might be the same person: not a known impostor pair.
        continue;
      } else impostor.push(sim);
    }
  }
  // The two people of the two-person clip, frame by frame.
  for (const frame of await extractFrames(path.join(LIVE_VIDEO_DIR, TWO_PERSON_CLIP), { fps: FPS })) {
    const two = await analyseFaces(provider, frame);
    if (two.length === 2) impostor.push(await provider.similarity(two[0]!.faceRef, two[1]!.faceRef));
  }
  const allGenuine = [...genuine, ...genuineDocument];
  const candidates = [0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7].map((t) => ({ threshold: t, ...rates(allGenuine, impostor, t) }));
  return {
    detection,
    identities: new Set(faces.map((f) => f.identity)).size,
    genuine: summarise(genuine),
    genuineDocumentLike: summarise(genuineDocument),
    impostor: summarise(impostor),
    eer: equalErrorRate(allGenuine, impostor),
    eerClipFramesOnly: equalErrorRate(genuine, impostor),
    candidates,
  };
}

/** A square crop around a sample photo's largest face, a stand-in for a selfie photo to replay. */
async function selfieCrop(provider: FaceProvider, file: string): Promise<Buffer | null> {
  const image = await readFile(file);
  const analysis = await provider.analyseImage(image);
  const face = analysis.faces[0];
  if (!face) return null;
  // 1.6x the box: a selfie-like framing without the neighbours of a group photo.
  const side = Math.round(Math.max(face.box.width, face.box.height) * 1.6);
  const left = Math.max(0, Math.round(face.box.x + face.box.width / 2 - side / 2));
  const top = Math.max(0, Math.round(face.box.y + face.box.height / 2 - side / 2));
  const { width = 0, height = 0 } = await sharp(image).metadata();
  return sharp(image).extract({ left, top, width: Math.min(side, width - left), height: Math.min(side, height - top) }).resize(480).jpeg().toBuffer();
}

async function livenessMeasurement(provider: FaceProvider) {
  const live: Array<Record<string, number | string>> = [];
  const still: Array<Record<string, number | string>> = [];
  const sources: Array<{ name: string; still: Buffer }> = [];
  for (const clip of [...SINGLE_PERSON_CLIPS, TWO_PERSON_CLIP]) {
    const frames = await extractFrames(path.join(LIVE_VIDEO_DIR, clip), { fps: FPS });
    const v = await assessSelfieVideo(provider, frames);
    live.push({ video: clip, score: v.liveness.score, ...v.liveness.signals });
    const mid = frames[Math.floor(frames.length / 2)];
    if (mid && clip !== TWO_PERSON_CLIP) sources.push({ name: clip, still: mid });
  }
  for (const file of sampleImagePaths()) {
    const crop = await selfieCrop(provider, file);
    if (crop) sources.push({ name: path.basename(file), still: crop });
  }
  for (const source of sources) {
    for (const motion of STILL_MOTIONS) {
      const frames = await stillPhotoVideoFrames(source.still, motion, { fps: FPS });
      const v = await assessSelfieVideo(provider, frames);
      still.push({ video: `${source.name}:${motion}`, score: v.liveness.score, ...v.liveness.signals });
    }
  }
  const signal = (rows: typeof live, key: string) => summarise(rows.map((r) => r[key]).filter((x): x is number => typeof x === 'number'));
  const keys = ['score', 'nonRigidMotion', 'faceIodPx', 'motionFrames', 'identityConsistency', 'singleFaceRatio', 'antispoof', 'liveness', 'passive'];
  const decided = (rows: typeof live) => rows.filter((r) => typeof r.score === 'number');
  const pass = (rows: typeof live, t: number) => decided(rows).filter((r) => (r.score as number) >= t).length / Math.max(1, decided(rows).length);
  const singleLive = live.filter((r) => r.video !== TWO_PERSON_CLIP);
  return {
    atThresholds: [0.3, 0.4, 0.5, 0.6].map((t) => ({ threshold: t, livePassRate: pass(singleLive, t), stillPassRate: pass(still, t) })),
    live: Object.fromEntries(keys.map((k) => [k, signal(live, k)])),
    still: Object.fromEntries(keys.map((k) => [k, signal(still, k)])),
    perVideo: { live, still },
  };
}

/** Passive (single photo) liveness of real photos, for the photo-selfie threshold. */
async function passiveMeasurement(provider: FaceProvider) {
  const scores: Record<string, number[]> = { score: [], antispoof: [], liveness: [] };
  const images: Array<Promise<Buffer>> = sampleImagePaths().map((f) => readFile(f));
  for (const clip of SINGLE_PERSON_CLIPS) images.push(extractFrames(path.join(LIVE_VIDEO_DIR, clip), { fps: 1, max: 2 }).then((f) => f[0]!));
  for (const pending of images) {
    const image = await pending;
    for (const face of (await provider.analyseImage(image)).faces) {
      const p = await provider.passiveLiveness(image, face);
      if (!p) continue;
      scores.score!.push(p.score);
      scores.antispoof!.push(p.signals.antispoof ?? 0);
      scores.liveness!.push(p.signals.liveness ?? 0);
    }
  }
  return Object.fromEntries(Object.entries(scores).map(([k, v]) => [k, summarise(v)]));
}

async function main(): Promise<void> {
  const provider = createLocalFaceProvider();
  await provider.warmUp();
  const identity = await identityMeasurement(provider);
  console.log(JSON.stringify({ identity }, null, 1));
  const passive = await passiveMeasurement(provider);
  console.log(JSON.stringify({ passive }, null, 1));
  const liveness = await livenessMeasurement(provider);
  console.log(JSON.stringify({ atThresholds: liveness.atThresholds, live: liveness.live, still: liveness.still }, null, 1));
  for (const r of [...liveness.perVideo.live, ...liveness.perVideo.still]) console.log(String(r.video).padEnd(56), Number(r.score).toFixed(3), Number(r.nonRigidMotion ?? NaN).toFixed(3), Number(r.faceIodPx ?? NaN).toFixed(0), r.motionFrames);
  const out = path.join(__dirname, '..', '..', 'bench', 'face-thresholds.json');
  await writeFile(out, JSON.stringify({ measuredAt: new Date().toISOString(), fps: FPS, identity, passive, liveness }, null, 2) + '\n');
  console.log(`wrote ${out}`);
}

main().catch((e: unknown) => { console.error(e); process.exitCode = 1; });
