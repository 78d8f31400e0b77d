import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MediaError } from './media-error';
import { probeVideo, safeInputArgs, type VideoProbe } from './probe-video';
import { runFfmpeg } from './run-ffmpeg';

export interface ExtractFramesOptions {
  /** Frames to extract, evenly spaced over the video minus its first and last 5 %. 1–60, default 5. */
  count?: number;
  /** Longest accepted video, in seconds (`VIDEO_TOO_LONG`). Default 30. */
  maxDurationS?: number;
  /** Time limit for the whole call (probe and extraction), in milliseconds (`MEDIA_TIMEOUT`). Default 20 000. */
  timeoutMs?: number;
  /** Frames wider than this are scaled down to it, keeping the aspect ratio, in pixels. Default 1280. */
  maxWidth?: number;
  /** Largest accepted coded frame, in pixels (`MEDIA_TOO_LARGE`). Default 8K UHD. */
  maxFramePixels?: number;
  /** Largest accepted input file, in bytes (`MEDIA_TOO_LARGE`). Default 200 MiB. */
  maxInputBytes?: number;
  /** Cap on the JPEG bytes of all frames together (`MEDIA_OUTPUT_TOO_LARGE`). Default 32 MiB. */
  maxOutputBytes?: number;
  /** Decoder threads per input. Default 2. */
  threads?: number;
}

export interface VideoFrame {
  /** Baseline JPEG, upright (the container's rotation applied). */
  jpeg: Buffer;
  /** Position the frame was taken from, in seconds from the file start. */
  timeS: number;
}

/**
 * How the frames were taken. `seek`: one ffmpeg input per frame, each seeked
 * (`-ss` before `-i`) so only keyframe-to-target is decoded. `scan`: one input
 * seeked to the first target, decoded through to the last, a `select` filter
 * keeping the targets. Seeking wins when keyframes are frequent (phone cameras:
 * every 1–2 s); scanning wins when they are sparse (one keyframe per clip).
 */
export type ExtractionStrategy = 'seek' | 'scan';

export interface ExtractedFrames {
  frames: VideoFrame[];
  video: VideoProbe;
  strategy: ExtractionStrategy;
}

const DEFAULTS = { count: 5, timeoutMs: 20_000, maxWidth: 1280, maxOutputBytes: 32 * 1024 * 1024, threads: 2 };
/** Fixed cost of one more seeked input (open, parse, decoder start), as seconds of video decoded; measured ≈ 0.1–0.2. */
const INPUT_OVERHEAD_S = 0.2;

/**
 * Extracts `count` evenly spaced JPEG frames from a video file in one ffmpeg
 * process (after one probing process), under a hard time limit. Every failure
 * is a `MediaError`; temporary files live in a private folder that is always removed.
 */
export async function extractFrames(input: string, options: ExtractFramesOptions = {}): Promise<ExtractedFrames> {
  const count = options.count ?? DEFAULTS.count;
  if (!Number.isInteger(count) || count < 1 || count > 60) throw new RangeError('count must be an integer in 1..60');
  const deadline = Date.now() + (options.timeoutMs ?? DEFAULTS.timeoutMs);
  const video = await probeVideo(input, { ...options, deadline });

  const timesS = targetTimes(video, count);
  const strategy = chooseStrategy(timesS, video);
  const dir = await mkdtemp(join(tmpdir(), 'vouch-frames-'));
  try {
    const args = strategy === 'seek' ? seekArgs(input, video, timesS, options, dir) : scanArgs(input, video, timesS, options, dir);
    const run = await runFfmpeg(args, { deadline, maxStdoutBytes: 64 * 1024 });
    const jpegs = await collectFrames(dir, count, options.maxOutputBytes ?? DEFAULTS.maxOutputBytes);
    if (run.exitCode !== 0 || jpegs.length !== count) {
      throw new MediaError('UNREADABLE_MEDIA', 'Frames could not be decoded from the video', {}, new Error(run.stderr.slice(-2000)));
    }
    return { frames: jpegs.map((jpeg, i) => ({ jpeg, timeS: timesS[i] ?? 0 })), video, strategy };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Evenly spaced times over the video's middle 90 %; a single frame comes from the middle. */
export function targetTimes(video: Pick<VideoProbe, 'videoStartS' | 'videoDurationS'>, count: number): number[] {
  const { videoStartS: start, videoDurationS: span } = video;
  if (count === 1) return [round(start + span / 2)];
  return Array.from({ length: count }, (_, i) => round(start + span * (0.05 + (0.9 * i) / (count - 1))));
}

/** Compares the video each strategy must decode, from the keyframe positions the probe found. */
export function chooseStrategy(timesS: readonly number[], video: Pick<VideoProbe, 'keyframeTimesS'>): ExtractionStrategy {
  const keyframeBefore = (t: number) => video.keyframeTimesS.filter((k) => k <= t).at(-1) ?? 0;
  const seekCostS = timesS.reduce((sum, t) => sum + (t - keyframeBefore(t)) + INPUT_OVERHEAD_S, 0);
  const first = timesS[0] ?? 0;
  const scanCostS = (timesS.at(-1) ?? 0) - keyframeBefore(first) + INPUT_OVERHEAD_S;
  return seekCostS <= scanCostS ? 'seek' : 'scan';
}

function seekArgs(input: string, video: VideoProbe, timesS: readonly number[], options: ExtractFramesOptions, dir: string): string[] {
  const inputs = timesS.flatMap((t) => ['-ss', t.toFixed(3), ...safeInputArgs(input, video.format, threadCount(options))]);
  const outputs = timesS.flatMap((_, i) => [
    ...['-map', `${i}:V:0`, '-frames:v', '1'],
    ...encodeArgs(options),
    ...['-f', 'image2', '-update', '1', join(dir, `${frameName(i)}.jpg`)],
  ]);
  return [...commonArgs(), ...inputs, ...outputs];
}

function scanArgs(input: string, video: VideoProbe, timesS: readonly number[], options: ExtractFramesOptions, dir: string): string[] {
  const first = timesS[0] ?? 0;
  // After an input seek, frame times restart at 0; keep the first frame at or after each target.
  const select = timesS.map((t) => `gte(t\\,${(t - first).toFixed(3)})*not(gte(prev_t\\,${(t - first).toFixed(3)}))`).join('+');
  return [
    ...commonArgs(),
    ...['-ss', first.toFixed(3), ...safeInputArgs(input, video.format, threadCount(options))],
    ...['-map', '0:V:0', '-filter:v', `select='${select}',${scaleFilter(options)}`, '-vsync', '0', '-frames:v', String(timesS.length)],
    ...['-c:v', 'mjpeg', '-q:v', '2', '-pix_fmt', 'yuvj420p', '-f', 'image2', join(dir, 'frame-%03d.jpg')],
  ];
}

/** Global limits: quiet log, at most 512 MiB per allocation (a lying header cannot make a decoder ask for more). */
const commonArgs = () => ['-loglevel', 'error', '-max_alloc', String(512 * 1024 * 1024), '-filter_threads', '1'];

const encodeArgs = (options: ExtractFramesOptions) => [
  ...['-filter:v', scaleFilter(options)],
  ...['-c:v', 'mjpeg', '-q:v', '2', '-pix_fmt', 'yuvj420p'],
];

/** Downscale only: `min(iw, max)` keeps smaller frames as they are; `-2` keeps the ratio with an even height. */
function scaleFilter(options: ExtractFramesOptions): string {
  const maxWidth = options.maxWidth ?? DEFAULTS.maxWidth;
  return `scale=w='min(iw\\,${maxWidth})':h='if(gt(iw\\,${maxWidth})\\,-2\\,ih)'`;
}

const threadCount = (options: ExtractFramesOptions) => options.threads ?? DEFAULTS.threads;

/** ffmpeg's image2 numbering starts at 1; seek outputs use the same names so one reader serves both. */
const frameName = (i: number) => `frame-${String(i + 1).padStart(3, '0')}`;

async function collectFrames(dir: string, expected: number, maxOutputBytes: number): Promise<Buffer[]> {
  const names = (await readdir(dir)).filter((name) => name.endsWith('.jpg')).sort().slice(0, expected);
  let total = 0;
  for (const name of names) total += (await stat(join(dir, name))).size;
  if (total > maxOutputBytes) throw new MediaError('MEDIA_OUTPUT_TOO_LARGE', 'The extracted frames are larger than allowed');
  const jpegs = await Promise.all(names.map((name) => readFile(join(dir, name))));
  return jpegs.filter((jpeg) => jpeg.length > 0);
}

const round = (seconds: number) => Math.round(seconds * 1000) / 1000;
