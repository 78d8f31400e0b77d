/**
 * Real-media fixtures for the face tests, the threshold measurement and the bench:
 * frames of the real clips in /work/shared/fixtures/live-video (via the real ffmpeg) and
 * still-photo replays ("videos" made of one frame: looped, zoomed, panned, rotated, tilted)
 * encoded with H.264 like a real upload, then decoded back to frames.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

export const LIVE_VIDEO_DIR = process.env.FACE_FIXTURE_VIDEO_DIR ?? '/work/shared/fixtures/live-video';

/** The real clips with one person each, by identity. */
export const SINGLE_PERSON_CLIPS = [
  'grid_bbaf2n.mpg', 'grid_brbk7n.mpg', 'grid_lbax4n.mpg', 'grid_lbbc2a.mpg', 'grid_lrwp9a.mpg',
  'intel_head-pose-face-detection-male.mp4', 'pyfeat_single_face.mp4', 'intel_asl_book.mkv',
] as const;
export const TWO_PERSON_CLIP = 'intel_head-pose-face-detection-female-and-male.mp4';

export function sampleImagePaths(): string[] {
  const faceApiDemo = path.join(path.dirname(require.resolve('@vladmandic/face-api/package.json')), 'demo');
  return [1, 2, 3, 4, 5, 6].map((i) => path.join(faceApiDemo, `sample${i}.jpg`));
}

export function ffmpegPath(): string {
  const installer = require('@ffmpeg-installer/ffmpeg') as { path: string };
  return installer.path;
}

export function runFfmpeg(args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(ffmpegPath(), ['-hide_banner', '-loglevel', 'error', '-y', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`ffmpeg exited ${code}: ${stderr.slice(-500)}`))));
  });
}

async function withTempDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'vouch-face-'));
  try { return await fn(dir); } finally { await rm(dir, { recursive: true, force: true }); }
}

async function readFrames(dir: string, prefix: string): Promise<Buffer[]> {
  const names = (await readdir(dir)).filter((n) => n.startsWith(prefix) && n.endsWith('.jpg')).sort();
  return Promise.all(names.map((n) => readFile(path.join(dir, n))));
}

export interface FrameOptions {
  /** Frames per second to sample. */
  fps: number;
  /** Start offset in seconds. */
  startS?: number;
  /** Most frames to return. */
  max?: number;
}

/** JPEG frames of a video file, sampled at `fps`. */
export function extractFrames(video: string, opts: FrameOptions): Promise<Buffer[]> {
  return withTempDir(async (dir) => {
    const args = [...(opts.startS ? ['-ss', String(opts.startS)] : []), '-i', video, '-vf', `fps=${opts.fps}`, '-q:v', '2'];
    if (opts.max) args.push('-frames:v', String(opts.max));
    await runFfmpeg([...args, path.join(dir, 'f%04d.jpg')]);
    return readFrames(dir, 'f');
  });
}

/** One JPEG frame at `atS` seconds. */
export async function frameAt(video: string, atS: number): Promise<Buffer> {
  const [frame] = await extractFrames(video, { fps: 25, startS: atS, max: 1 });
  if (!frame) throw new Error(`no frame at ${atS}s in ${video}`);
  return frame;
}

export type StillMotion = 'loop' | 'zoom' | 'pan' | 'rotate' | 'tilt';
export const STILL_MOTIONS: StillMotion[] = ['loop', 'zoom', 'pan', 'rotate', 'tilt'];

/** ffmpeg filter that moves a still photo like a replay attack would (rigidly, or as a tilted print). */
function motionFilter(motion: StillMotion, seconds: number): string {
  const even = 'scale=trunc(iw/2)*2:trunc(ih/2)*2';
  switch (motion) {
    case 'loop': return even;
    // Slow zoom-in towards the centre (25 fps output, one output frame per input frame).
    case 'zoom': return `${even},zoompan=z='1+0.006*on':x='iw/2-(iw/zoom/2)':y='ih/2-(ih/zoom/2)':d=1:s=hd480:fps=25`;
    // A window sliding across the photo: a pure translation.
    case 'pan': return `crop=w=iw*0.8:h=ih*0.8:x='(iw-ow)*t/${seconds}':y='(ih-oh)*t/${2 * seconds}',${even}`;
    // The photo rotated back and forth in the image plane.
    case 'rotate': return `rotate=a='0.12*sin(2*PI*t/${seconds})':fillcolor=gray,${even}`;
    // A held print tilting towards the camera: a perspective (not similarity) change of a flat face.
    case 'tilt': return `perspective=x0='W*0.06*sin(in/12)':y0='0':x1='W-W*0.06*sin(in/12)':y1='0':x2='0':y2='H':x3='W':y3='H':eval=frame:interpolation=linear,${even}`;
  }
}

/** Frames of an H.264 "video" made from one still JPEG moved by `motion`. */
export function stillPhotoVideoFrames(still: Buffer, motion: StillMotion, opts: { seconds?: number; fps: number }): Promise<Buffer[]> {
  const seconds = opts.seconds ?? 3;
  return withTempDir(async (dir) => {
    const input = path.join(dir, 'still.jpg');
    const video = path.join(dir, 'replay.mp4');
    await writeFile(input, still);
    await runFfmpeg(['-loop', '1', '-framerate', '25', '-t', String(seconds), '-i', input,
      '-vf', motionFilter(motion, seconds), '-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-preset', 'veryfast', '-crf', '23', video]);
    await runFfmpeg(['-i', video, '-vf', `fps=${opts.fps}`, '-q:v', '2', path.join(dir, 'f%04d.jpg')]);
    return readFrames(dir, 'f');
  });
}
