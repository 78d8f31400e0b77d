/**
 * Test media made with the real ffmpeg and sharp from the real clips in
 * `/work/shared/fixtures/live-video/` (attribution in its README). Files are
 * cached in one temp folder keyed by name, written under a temporary name and
 * renamed, so parallel test processes share them safely.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { deflateSync } from 'node:zlib';
import { resolveFfmpeg } from '../../shared/media/ffmpeg-path';
import { loadSharp } from '../../shared/media/load-sharp';

const run = promisify(execFile);

/** Bump when a recipe changes, so stale cached files are not reused. */
const RECIPE_VERSION = 2;
export const LIVE_VIDEO_DIR = process.env.VOUCH_LIVE_VIDEO_DIR ?? '/work/shared/fixtures/live-video';
export const GRID_CLIPS = ['grid_bbaf2n', 'grid_brbk7n', 'grid_lbax4n', 'grid_lbbc2a', 'grid_lrwp9a'] as const;
export const MP4_CLIPS = [
  'intel_head-pose-face-detection-male.mp4',
  'intel_head-pose-face-detection-female-and-male.mp4',
  'pyfeat_single_face.mp4',
] as const;
export type Container = 'mp4' | 'webm-vp8' | 'webm-vp9' | 'mov';

export const fixtureDir = () => join(tmpdir(), `vouch-media-fixtures-v${RECIPE_VERSION}`);
export const liveClip = (file: string) => join(LIVE_VIDEO_DIR, file);

export async function ffmpeg(args: string[]): Promise<void> {
  await run(resolveFfmpeg().path, ['-hide_banner', '-nostdin', '-loglevel', 'error', '-y', ...args], { maxBuffer: 16 * 1024 * 1024 });
}

/** Returns the cached file `name`, making it with `make(tempPath)` on first use. */
export async function cached(name: string, make: (out: string) => Promise<void>): Promise<string> {
  const dir = fixtureDir();
  const path = join(dir, name);
  if (existsSync(path)) return path;
  await mkdir(dir, { recursive: true });
  const dot = name.lastIndexOf('.');
  const temp = join(dir, `${name.slice(0, dot)}.tmp-${randomBytes(4).toString('hex')}${name.slice(dot)}`);
  try {
    await make(temp);
    await rename(temp, path);
  } finally {
    await rm(temp, { force: true });
  }
  return path;
}

const ENCODE: Record<Container, { ext: string; args: string[] }> = {
  mp4: { ext: 'mp4', args: ['-c:v', 'libx264', '-preset', 'veryfast', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-f', 'mp4'] },
  mov: { ext: 'mov', args: ['-c:v', 'libx264', '-preset', 'veryfast', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-f', 'mov'] },
  'webm-vp8': { ext: 'webm', args: ['-c:v', 'libvpx', '-b:v', '1M', '-deadline', 'realtime', '-cpu-used', '8', '-c:a', 'libopus', '-f', 'webm'] },
  'webm-vp9': { ext: 'webm', args: ['-c:v', 'libvpx-vp9', '-b:v', '1M', '-deadline', 'realtime', '-cpu-used', '8', '-c:a', 'libopus', '-f', 'webm'] },
};

/** A GRID clip (MPEG-1) or an MP4 clip transcoded into a container clients upload. */
export function transcodedClip(source: string, container: Container): Promise<string> {
  const base = source.replace(/\.[^.]+$/, '');
  const file = source.includes('.') ? source : `${source}.mpg`;
  const { ext, args } = ENCODE[container];
  return cached(`${base}.${container}.${ext}`, (out) => ffmpeg(['-i', liveClip(file), ...args, out]));
}

/** WebM written to a pipe, as MediaRecorder does: no duration in the header and no seek index (Cues). */
export function streamedWebm(source = 'grid_bbaf2n'): Promise<string> {
  return cached(`${source}.streamed.webm`, async (out) => {
    const { stdout } = await run(
      resolveFfmpeg().path,
      ['-hide_banner', '-nostdin', '-loglevel', 'error', '-i', liveClip(`${source}.mpg`), ...ENCODE['webm-vp8'].args, 'pipe:1'],
      { encoding: 'buffer', maxBuffer: 64 * 1024 * 1024 },
    );
    await writeFile(out, stdout);
  });
}

/** A portrait phone-style QuickTime: landscape pixels plus a 90° rotation tag players (and ffmpeg) apply. */
export function rotatedMov(source = 'grid_bbaf2n'): Promise<string> {
  // The tag survives only a stream copy; ffmpeg drops it when it encodes.
  return cached(`${source}.rotated.mov`, async (out) =>
    ffmpeg(['-i', await transcodedClip(source, 'mov'), '-map', '0', '-c', 'copy', '-metadata:s:v:0', 'rotate=90', '-f', 'mov', out]),
  );
}

/** One frame of a real clip, as PNG. */
export function stillFrame(source = 'grid_bbaf2n', atS = 1): Promise<string> {
  return cached(`${source}.still-${atS}.png`, (out) => ffmpeg(['-ss', String(atS), '-i', liveClip(`${source}.mpg`), '-frames:v', '1', '-f', 'image2', out]));
}

/**
 * A replayed still photo, for liveness tests: `static` loops one frame for 3 s;
 * `pan` slowly zooms into it (what holding a printed photo to the camera looks like).
 */
export function stillPhotoVideo(motion: 'static' | 'pan', source = 'grid_bbaf2n'): Promise<string> {
  return cached(`${source}.still-${motion}.mp4`, async (out) => {
    const still = await stillFrame(source);
    const filter =
      motion === 'static'
        ? 'fps=25,format=yuv420p'
        : "zoompan=z='min(zoom+0.002,1.2)':x='iw/2-(iw/zoom/2)':y='ih/2-(ih/zoom/2)':d=75:s=360x288:fps=25,format=yuv420p";
    await ffmpeg(['-loop', '1', '-i', still, '-t', '3', '-vf', filter, '-c:v', 'libx264', '-preset', 'veryfast', '-f', 'mp4', out]);
  });
}

/**
 * 10 s of 1280 × 720 H.264 at 25 fps with a keyframe every 2 s (like a phone
 * camera) and AAC audio: a real clip looped and scaled, for benchmarks and timeouts.
 */
export function hd720Video(keyframeEveryFrames = 50): Promise<string> {
  return cached(`hd720-10s-g${keyframeEveryFrames}.mp4`, (out) =>
    ffmpeg([
      ...['-stream_loop', '3', '-i', liveClip('grid_bbaf2n.mpg'), '-t', '10'],
      ...['-vf', 'scale=1280:720,setsar=1', '-c:v', 'libx264', '-preset', 'veryfast', '-pix_fmt', 'yuv420p'],
      ...['-g', String(keyframeEveryFrames), '-sc_threshold', '0', '-c:a', 'aac', '-f', 'mp4', out],
    ]),
  );
}

/** A small synthetic video of `seconds` (test pattern, 320 × 240, 10 fps): for the duration limit. */
export function longVideo(seconds = 35): Promise<string> {
  return cached(`testsrc-${seconds}s.mp4`, (out) =>
    ffmpeg(['-f', 'lavfi', '-i', `testsrc=size=320x240:rate=10:duration=${seconds}`, '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-f', 'mp4', out]),
  );
}

/** An MP4 (M4A) with only an AAC audio track. */
export function audioOnlyMp4(): Promise<string> {
  return cached('audio-only.mp4', (out) => ffmpeg(['-f', 'lavfi', '-i', 'sine=frequency=440:duration=2', '-c:a', 'aac', '-f', 'mp4', out]));
}

/** An MP4 with its `moov` index (at the front, `+faststart`) overwritten with garbage. */
export function corruptVideo(): Promise<string> {
  return cached('corrupt-moov.mp4', async (out) => {
    const clean = join(fixtureDir(), `faststart-${randomBytes(4).toString('hex')}.mp4`);
    try {
      await ffmpeg(['-i', liveClip('grid_bbaf2n.mpg'), ...ENCODE.mp4.args.slice(0, -2), '-movflags', '+faststart', '-f', 'mp4', clean]);
      const bytes = await readFile(clean);
      const moov = bytes.indexOf('moov', 0, 'latin1');
      // Keep the box headers of ftyp and moov, scramble what moov contains.
      for (let i = moov + 4; i < Math.min(bytes.length, moov + 4000); i++) bytes[i] = (bytes[i] ?? 0) ^ 0x5a;
      await writeFile(out, bytes);
    } finally {
      await rm(clean, { force: true });
    }
  });
}

/** The first 40 % of an MP4 whose index sits at the end: an interrupted upload. */
export function truncatedVideo(): Promise<string> {
  return cached('truncated.mp4', async (out) => {
    const bytes = await readFile(await transcodedClip('grid_bbaf2n', 'mp4'));
    await writeFile(out, bytes.subarray(0, Math.floor(bytes.length * 0.4)));
  });
}

export function zeroByteVideo(): Promise<string> {
  return cached('zero-bytes.mp4', (out) => writeFile(out, Buffer.alloc(0)));
}

/** A JPEG photo saved under a `.mp4` name. */
export function jpegNamedMp4(): Promise<string> {
  return cached('photo-named.mp4', async (out) => copyFile(await jpegFrameFile(), out));
}

async function jpegFrameFile(): Promise<string> {
  return cached('frame.jpg', async (out) => {
    await loadSharp()(await stillFrame()).jpeg().toFile(out);
  });
}

/** A JPEG of a real frame with EXIF orientation `orientation` and a GPS position in its EXIF. */
export async function jpegWithExif(orientation: number): Promise<Buffer> {
  return loadSharp()(await stillFrame())
    .jpeg()
    .withExif({
      IFD0: { Make: 'VouchTest', Model: 'Fixture' },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '51/1 30/1 0/1', GPSLongitudeRef: 'W', GPSLongitude: '0/1 7/1 0/1' },
    })
    .withMetadata({ orientation })
    .toBuffer();
}

/** A real frame upscaled to `width × height` (4000 × 3000 = 12 MP by default), as JPEG. */
export async function largePhoto(width = 4000, height = 3000): Promise<Buffer> {
  const path = await cached(`photo-${width}x${height}.jpg`, async (out) => {
    await loadSharp()(await stillFrame()).resize(width, height, { fit: 'fill' }).jpeg({ quality: 90 }).toFile(out);
  });
  return readFile(path);
}

/**
 * A valid PNG decompression bomb: 20 000 × 20 000 1-bit pixels (400 MP, 50 MB of
 * raw rows) that deflates to a few tens of kilobytes.
 */
export async function pngDecompressionBomb(side = 20_000): Promise<Buffer> {
  const path = await cached(`bomb-${side}.png`, async (out) => {
    const row = Buffer.alloc(1 + Math.ceil(side / 8)); // filter byte + 1 bit per pixel
    const raw = Buffer.alloc(row.length * side);
    const idat = deflateSync(raw, { level: 9 });
    const ihdr = Buffer.alloc(13);
    ihdr.writeUInt32BE(side, 0);
    ihdr.writeUInt32BE(side, 4);
    ihdr.set([1, 0, 0, 0, 0], 8); // bit depth 1, greyscale, deflate, adaptive filter, no interlace
    await writeFile(out, Buffer.concat([PNG_SIGNATURE, pngChunk('IHDR', ihdr), pngChunk('IDAT', idat), pngChunk('IEND', Buffer.alloc(0))]));
  });
  return readFile(path);
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

function crc32(bytes: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

/** A private copy of a fixture in a fresh folder (for tests that must find "their" ffmpeg processes by path). */
export async function privateCopy(path: string): Promise<{ path: string; dispose: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'vouch-media-test-'));
  const copy = join(dir, path.split('/').at(-1) ?? 'copy');
  await copyFile(path, copy);
  return { path: copy, dispose: () => rm(dir, { recursive: true, force: true }) };
}

/** Pids of live processes whose command line contains `marker`. */
export function processesMentioning(marker: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'latin1').includes(marker)) pids.push(Number(entry));
    } catch {
      // the process ended while we looked
    }
  }
  return pids;
}


/** A clip as raw Y4M, what Chromium's `--use-file-for-fake-video-capture` plays as a camera (looped). */
export function fakeCameraY4m(source = 'grid_bbaf2n', seconds = 3): Promise<string> {
  return cached(`${source}.camera-${seconds}s.y4m`, (out) =>
    ffmpeg(['-i', liveClip(`${source}.mpg`), '-t', String(seconds), '-pix_fmt', 'yuv420p', '-f', 'yuv4mpegpipe', out]),
  );
}
