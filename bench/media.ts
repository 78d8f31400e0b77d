/**
 * Media: frame extraction (5 frames of a 10 s 720p video) against bare ffmpeg
 * commands doing the same extraction, and sharp normalisation of a 12 MP photo
 * against a bare sharp re-encode, each floor measured in the same run with runs
 * interleaved (so machine load hits both sides alike).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { extractFrames, targetTimes } from '../shared/media/extract-frames';
import { resolveFfmpeg } from '../shared/media/ffmpeg-path';
import { loadSharp } from '../shared/media/load-sharp';
import { normaliseImage } from '../shared/media/normalise-image';
import { probeVideo } from '../shared/media/probe-video';
import { hd720Video, largePhoto } from '../tests/support/media-fixtures';
import { percentile, round } from './stats';

const EXTRACT_RUNS = 10;
const NORMALISE_RUNS = 12;
const execFileAsync = promisify(execFile);

/** Bare ffmpeg: one process, one `-ss`-seeked input per frame (the `seek` strategy without probing or limits). */
export async function bareSeek(video: string, timesS: readonly number[]): Promise<void> {
  await inTempDir((dir) =>
    ffmpeg([
      ...timesS.flatMap((t) => ['-ss', t.toFixed(3), '-i', video]),
      ...timesS.flatMap((_, i) => ['-map', `${i}:v:0`, '-frames:v', '1', '-q:v', '2', join(dir, `${i}.jpg`)]),
    ]),
  );
}

/** Bare ffmpeg: decode everything, keep 5 frames with a `select` filter (the `scan` strategy's naive form). */
async function bareSelect(video: string, timesS: readonly number[]): Promise<void> {
  const select = timesS.map((t) => `gte(t\\,${t})*not(gte(prev_t\\,${t}))`).join('+');
  await inTempDir((dir) => ffmpeg(['-i', video, '-vf', `select='${select}'`, '-vsync', '0', '-frames:v', '5', '-q:v', '2', join(dir, '%d.jpg')]));
}

const ffmpeg = (args: string[]) => execFileAsync(resolveFfmpeg().path, ['-hide_banner', '-nostdin', '-loglevel', 'error', '-y', ...args]);

async function inTempDir(fn: (dir: string) => Promise<unknown>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'vouch-bench-'));
  try {
    await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Times each named task `runs` times, interleaved, after one warm-up round; durations in ms. */
async function interleaved(runs: number, tasks: Record<string, () => Promise<unknown>>): Promise<Record<string, number[]>> {
  const out: Record<string, number[]> = Object.fromEntries(Object.keys(tasks).map((name) => [name, []]));
  for (let i = -1; i < runs; i++) {
    for (const [name, task] of Object.entries(tasks)) {
      const started = performance.now();
      await task();
      if (i >= 0) out[name]?.push(performance.now() - started);
    }
  }
  return out;
}

const p = (values: number[] | undefined, q: number) => round(percentile(values ?? [], q));

export async function run(): Promise<Record<string, number | string>> {
  const load1m = loadavg()[0] ?? 0;
  const phoneLike = await hd720Video(50); // keyframe every 2 s
  const sparse = await hd720Video(250); // one keyframe in 10 s
  const probe = await probeVideo(phoneLike);
  const times = targetTimes(probe, 5);

  const t = await interleaved(EXTRACT_RUNS, {
    extract: () => extractFrames(phoneLike),
    bareSeek: () => bareSeek(phoneLike, times),
    bareSelect: () => bareSelect(phoneLike, times),
    probe: () => probeVideo(phoneLike),
    extractSparse: () => extractFrames(sparse),
    bareSeekSparse: () => bareSeek(sparse, times),
    bareSelectSparse: () => bareSelect(sparse, times),
  });

  const photo = await largePhoto(4000, 3000);
  const sharp = loadSharp();
  const n = await interleaved(NORMALISE_RUNS, {
    normalise: () => normaliseImage(photo),
    bareSharp: () => sharp(photo).jpeg({ quality: 85 }).toBuffer(),
  });

  const floorSeek = percentile(t.bareSeek ?? [], 50);
  return {
    frameExtractionMs_p50: p(t.extract, 50),
    frameExtractionMs_p95: p(t.extract, 95),
    frameExtractionStrategy: (await extractFrames(phoneLike)).strategy,
    bareFfmpegSeekMs_p50: round(floorSeek),
    bareFfmpegSeekMs_p95: p(t.bareSeek, 95),
    bareFfmpegSelectMs_p50: p(t.bareSelect, 50),
    frameExtractionRatioToBareSeek: round(percentile(t.extract ?? [], 50) / floorSeek, 2),
    probeMs_p50: p(t.probe, 50),
    sparseKeyframes_frameExtractionMs_p50: p(t.extractSparse, 50),
    sparseKeyframes_strategy: (await extractFrames(sparse)).strategy,
    sparseKeyframes_bareFfmpegSeekMs_p50: p(t.bareSeekSparse, 50),
    sparseKeyframes_bareFfmpegSelectMs_p50: p(t.bareSelectSparse, 50),
    normalise12MpMs_p50: p(n.normalise, 50),
    normalise12MpMs_p95: p(n.normalise, 95),
    bareSharpReencode12MpMs_p50: p(n.bareSharp, 50),
    normaliseRatioToBareSharp: round(percentile(n.normalise ?? [], 50) / percentile(n.bareSharp ?? [], 50), 2),
    ffmpegSource: resolveFfmpeg().source,
    loadAverage1mAtStart: round(load1m, 2),
    extractRuns: EXTRACT_RUNS,
    normaliseRuns: NORMALISE_RUNS,
  };
}
