/**
 * Planar replays: a still photo of a real person shown to the camera as a "video", made
 * with the real ffmpeg (H.264, like an upload). Every kind a printed photo or a screen held
 * in front of a camera produces: static, panned, zoomed, rotated in the image plane, tilted
 * in perspective (`perspective` filter), with the face small in the frame or filling it, at
 * slow and fast speeds. Cached like `media-fixtures.ts` (temp folder, keyed by name).
 */
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { resolveFfmpeg } from '../../shared/media/ffmpeg-path';

const run = promisify(execFile);
/** Bump when a recipe changes. */
const RECIPE_VERSION = 1;

export const REPLAY_KINDS = [
  'static', 'pan', 'pan-fast', 'zoom', 'zoom-fast', 'rotate', 'rotate-fast', 'tilt', 'tilt-fast', 'small', 'fill',
] as const;
export type ReplayKind = (typeof REPLAY_KINDS)[number];

const SECONDS = 3;
const SIDE = 'trunc(iw/2)*2:trunc(ih/2)*2';

/** ffmpeg filter graph (one input: the still looped at 25 fps) for each kind. */
function filterFor(kind: ReplayKind): string {
  const even = `scale=${SIDE}`;
  switch (kind) {
    case 'static': return even;
    // A window sliding over the photo: pure translation.
    case 'pan': return `crop=w=iw*0.8:h=ih*0.8:x='(iw-ow)*t/${SECONDS}':y='(ih-oh)*t/${2 * SECONDS}',${even}`;
    case 'pan-fast': return `crop=w=iw*0.75:h=ih*0.75:x='(iw-ow)*(0.5+0.5*sin(2*PI*t*1.3))':y='(ih-oh)*(0.5+0.5*cos(2*PI*t*0.9))',${even}`;
    // Moving the photo towards the camera.
    case 'zoom': return `${even},zoompan=z='1+0.006*on':x='iw/2-(iw/zoom/2)':y='ih/2-(ih/zoom/2)':d=1:s=640x480:fps=25`;
    case 'zoom-fast': return `${even},zoompan=z='1.3+0.3*sin(on/4)':x='iw/2-(iw/zoom/2)':y='ih/2-(ih/zoom/2)':d=1:s=640x480:fps=25`;
    // Turning the photo in the image plane.
    case 'rotate': return `rotate=a='0.12*sin(2*PI*t/${SECONDS})':fillcolor=gray,${even}`;
    case 'rotate-fast': return `rotate=a='0.35*sin(2*PI*t*1.2)':fillcolor=gray,${even}`;
    // A held print tilting towards and away from the camera (perspective, not similarity).
    case 'tilt':
      return `perspective=x0='W*0.06*sin(in/12.5)':y0='0':x1='W-W*0.06*sin(in/12.5)':y1='0':x2='0':y2='H':x3='W':y3='H':eval=frame:interpolation=linear,${even}`;
    case 'tilt-fast':
      return `perspective=x0='W*0.12*sin(in*0.24)':y0='H*0.08*cos(in*0.2)':x1='W-W*0.12*sin(in*0.24)':y1='H*0.08*sin(in*0.2)':x2='W*0.05*cos(in*0.24)':y2='H':x3='W':y3='H-H*0.06*sin(in*0.2)':eval=frame:interpolation=linear,${even}`;
    // The photo small in a large frame (held far away), drifting.
    case 'small':
      return `scale=iw*0.45:-2,pad=w=iw*3.2:h=ih*2.4:x=(ow-iw)/2:y=(oh-ih)/2:color=gray,crop=w=iw*0.8:h=ih*0.9:x='(iw-ow)*(0.5+0.5*sin(2*PI*t/${SECONDS}))':y='(ih-oh)/2',${even}`;
    // The face filling the frame (photo held close), slowly zooming further.
    case 'fill': return `crop=w=iw*0.55:h=ih*0.6:x='(iw-ow)/2':y='(ih-oh)*0.35',${even},zoompan=z='1+0.004*on':x='iw/2-(iw/zoom/2)':y='ih/2-(ih/zoom/2)':d=1:s=480x520:fps=25`;
  }
}

/** An H.264 MP4 of `still` (JPEG/PNG bytes) replayed as `kind`; cached by content and kind. */
export async function replayVideo(still: Buffer, kind: ReplayKind): Promise<string> {
  const key = createHash('sha256').update(still).digest('hex').slice(0, 16);
  const dir = join(tmpdir(), `vouch-replays-v${RECIPE_VERSION}`);
  const path = join(dir, `${key}.${kind}.mp4`);
  if (existsSync(path)) return path;
  await mkdir(dir, { recursive: true });
  const tag = randomBytes(4).toString('hex');
  const input = join(dir, `${key}.${tag}.still`);
  const temp = join(dir, `${key}.${kind}.${tag}.mp4`);
  try {
    await writeFile(input, still);
    await run(resolveFfmpeg().path, [
      '-hide_banner', '-nostdin', '-loglevel', 'error', '-y', '-loop', '1', '-framerate', '25', '-t', String(SECONDS), '-i', input,
      '-vf', filterFor(kind), '-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-preset', 'veryfast', '-crf', '23', '-f', 'mp4', temp,
    ], { maxBuffer: 16 * 1024 * 1024 });
    await rename(temp, path);
  } finally {
    await rm(input, { force: true });
    await rm(temp, { force: true });
  }
  return path;
}
