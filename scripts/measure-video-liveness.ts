/**
 * Measures video liveness on real live clips against planar replays of still photos of real
 * people and writes bench/video-liveness.json: every signal of `assessVideoLiveness`, live
 * and replay side by side, and the pass rates at the threshold.
 *
 * Live: the single-person clips of /work/shared/fixtures/live-video (README there).
 * Replays (tests/support/replay-videos.ts, real ffmpeg): a middle frame of each live clip and a
 * selfie-like crop of each face-api sample photo, shown static, panned, zoomed, rotated,
 * tilted in perspective, small in the frame and filling it, slow and fast.
 * Frames come from the production extractor (`frameCount` evenly spaced frames) and go
 * through the production `assessSelfieVideo`, so the figures are the pipeline's.
 *
 * Run: npm run build && node dist/scripts/measure-video-liveness.js [frameCount …]  (default 5 8)
 * Analyses are cached in $TMPDIR/vouch-liveness-measure (delete it after an engine change).
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { createLocalFaceProvider } from '../shared/face/local/local-provider';
import { analyseVideoFrames } from '../shared/face/evidence-builder';
import { assessVideoLivenessOfFrames, type VideoFrameSignals } from '../shared/face/video-liveness';
import type { FaceProvider } from '../shared/face/provider';
import { LOCAL_VIDEO_LIVENESS_THRESHOLD } from '../shared/face/thresholds';
import { ffmpegFrameExtractor } from '../shared/kyc/media-ports';
import { sampleImagePaths, SINGLE_PERSON_CLIPS } from '../tests/integration/face/face-fixtures';
import { transcodedClip } from '../tests/support/media-fixtures';
import { REPLAY_KINDS, replayVideo } from '../tests/support/replay-videos';

interface Row { video: string; population: 'live' | 'replay'; kind: string; frameCount: number; score: number; signals: Record<string, number> }

/** Stills replayed: clips with a face small, medium and large, and the sample photos with one clear face. */
const REPLAYED_CLIPS = new Set<string>(['grid_bbaf2n.mpg', 'grid_lrwp9a.mpg', 'intel_head-pose-face-detection-male.mp4', 'pyfeat_single_face.mp4', 'intel_asl_book.mkv']);
const REPLAYED_SAMPLES = new Set(['sample1.jpg', 'sample3.jpg', 'sample4.jpg', 'sample5.jpg']);

const CACHE = path.join(tmpdir(), 'vouch-liveness-measure');

async function framesOf(video: string, count: number): Promise<Buffer[]> {
  return ffmpegFrameExtractor(video, { count, timeoutMs: 60_000, maxDurationS: 60 });
}

/** The middle frame of a clip, as a still photo to replay. */
async function middleFrame(clip: string): Promise<Buffer> {
  const frames = await framesOf(clip, 3);
  return frames[1]!;
}

/** A selfie-like crop (1.8x the face box) of a sample photo's largest face. */
async function selfieCrop(provider: FaceProvider, file: string): Promise<Buffer | null> {
  const image = await readFile(file);
  const face = (await provider.analyseImage(image)).faces[0];
  if (!face) return null;
  const side = Math.round(Math.max(face.box.width, face.box.height) * 1.8);
  const { width = 0, height = 0 } = await sharp(image).metadata();
  const left = Math.max(0, Math.round(face.box.x + face.box.width / 2 - side / 2));
  const top = Math.max(0, Math.round(face.box.y + face.box.height / 2 - side / 2));
  return sharp(image).extract({ left, top, width: Math.min(side, width - left), height: Math.min(side, height - top) }).resize(480).jpeg({ quality: 92 }).toBuffer();
}

async function measure(provider: FaceProvider, name: string, video: string, count: number): Promise<{ score: number; signals: Record<string, number> }> {
  // The engine's per-frame output is cached; the liveness judgement is recomputed every run.
  const dir = path.join(CACHE, `${name.replace(/[^\w.-]+/g, '_')}.${count}`);
  const file = path.join(dir, 'signals.json');
  let frames: Buffer[];
  let signals: VideoFrameSignals[];
  if (existsSync(file)) {
    signals = JSON.parse(await readFile(file, 'utf8')) as VideoFrameSignals[];
    frames = await Promise.all(signals.map((_, i) => readFile(path.join(dir, `${i}.jpg`))));
  } else {
    frames = await framesOf(video, count);
    signals = (await analyseVideoFrames(provider, frames)).signals;
    await mkdir(dir, { recursive: true });
    await Promise.all(frames.map((f, i) => writeFile(path.join(dir, `${i}.jpg`), f)));
    await writeFile(file, JSON.stringify(signals));
  }
  const liveness = await assessVideoLivenessOfFrames(signals, frames);
  return { score: liveness.score, signals: liveness.signals };
}

function summary(values: number[]): Record<string, number> {
  const s = [...values].sort((a, b) => a - b);
  return { n: s.length, min: s[0] ?? NaN, p50: s[Math.floor(s.length / 2)] ?? NaN, max: s[s.length - 1] ?? NaN };
}

async function main(): Promise<void> {
  // `--shard i/n`: measure every n-th video only (run n processes; the last full run reads their caches).
  const shardArg = process.argv.find((a) => a.startsWith('--shard='))?.slice(8).split('/').map(Number);
  const inShard = (k: number) => !shardArg || k % shardArg[1]! === shardArg[0];
  const counts = process.argv.slice(2).filter((a) => !a.startsWith('--')).map(Number).filter((n) => n > 0);
  const frameCounts = counts.length ? counts : [5, 8];
  await mkdir(CACHE, { recursive: true });
  const provider = createLocalFaceProvider();
  await provider.warmUp();
  const stills: Array<{ name: string; still: Buffer }> = [];
  const live: Array<{ name: string; video: string }> = [];
  for (const clip of SINGLE_PERSON_CLIPS) {
    // As a client uploads it: MP4 (the GRID clips are MPEG-1, which uploads refuse).
    const video = await transcodedClip(clip, 'mp4');
    live.push({ name: clip, video });
    if (REPLAYED_CLIPS.has(clip)) stills.push({ name: clip, still: await middleFrame(video) });
  }
  for (const file of sampleImagePaths().filter((f) => REPLAYED_SAMPLES.has(path.basename(f)))) {
    const crop = await selfieCrop(provider, file);
    if (crop) stills.push({ name: path.basename(file), still: crop });
  }
  const rows: Row[] = [];
  let k = 0;
  for (const frameCount of frameCounts) {
    for (const { name, video } of live) {
      if (!inShard(k++)) continue;
      const m = await measure(provider, name, video, frameCount);
      rows.push({ video: name, population: 'live', kind: 'live', frameCount, ...m });
      console.log(frameCount, name.padEnd(48), m.score.toFixed(3), JSON.stringify(m.signals));
    }
    for (const { name, still } of stills) {
      for (const kind of REPLAY_KINDS) {
        if (!inShard(k++)) continue;
        const m = await measure(provider, `${name}:${kind}`, await replayVideo(still, kind), frameCount);
        rows.push({ video: `${name}:${kind}`, population: 'replay', kind, frameCount, ...m });
        console.log(frameCount, `${name}:${kind}`.padEnd(48), m.score.toFixed(3), JSON.stringify(m.signals));
      }
    }
  }
  const t = LOCAL_VIDEO_LIVENESS_THRESHOLD;
  const byCount = frameCounts.map((frameCount) => {
    const of = (p: Row['population']) => rows.filter((r) => r.frameCount === frameCount && r.population === p);
    const keys = [...new Set(rows.flatMap((r) => Object.keys(r.signals)))];
    return {
      frameCount,
      threshold: t,
      livePassed: `${of('live').filter((r) => r.score >= t).length}/${of('live').length}`,
      replaysPassed: `${of('replay').filter((r) => r.score >= t).length}/${of('replay').length}`,
      score: { live: summary(of('live').map((r) => r.score)), replay: summary(of('replay').map((r) => r.score)) },
      signals: Object.fromEntries(keys.map((k) => [k, {
        live: summary(of('live').map((r) => r.signals[k]).filter((x): x is number => x !== undefined)),
        replay: summary(of('replay').map((r) => r.signals[k]).filter((x): x is number => x !== undefined)),
      }])),
    };
  });
  const out = path.join(__dirname, '..', '..', 'bench', 'video-liveness.json');
  await writeFile(out, JSON.stringify({ measuredAt: new Date().toISOString(), replayKinds: REPLAY_KINDS, summary: byCount, rows }, null, 2) + '\n');
  console.log(JSON.stringify(byCount.map((b) => ({ frameCount: b.frameCount, livePassed: b.livePassed, replaysPassed: b.replaysPassed })), null, 1));
  console.log(`wrote ${out}`);
}

main().catch((e: unknown) => { console.error(e); process.exitCode = 1; });
