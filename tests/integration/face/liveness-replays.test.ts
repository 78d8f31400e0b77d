/**
 * Liveness with the real engine on real faces, frames taken as the pipeline takes them
 * (production extractor, `frameCount` 5): live clips are approved-level, planar replays of a
 * still photo of the same person (static, pan, zoom, rotate, tilt; real ffmpeg) are not; and
 * the active-challenge matcher on a real head-turning clip (matched and mismatched).
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { analyseVideoFrames, buildEvidence } from '../../../shared/face/evidence-builder';
import { challengeFindings } from '../../../shared/face/challenge-motion';
import { createLocalFaceProvider } from '../../../shared/face/local/local-provider';
import { LOCAL_VIDEO_LIVENESS_THRESHOLD } from '../../../shared/face/thresholds';
import type { VideoFrameSignals } from '../../../shared/face/video-liveness';
import { ffmpegFrameExtractor } from '../../../shared/kyc/media-ports';
import { headTurnsClip } from '../../support/challenge-clips';
import { transcodedClip } from '../../support/media-fixtures';
import { replayVideo, type ReplayKind } from '../../support/replay-videos';

const provider = createLocalFaceProvider();
const frames = (video: string, count = 5) => ffmpegFrameExtractor(video, { count, timeoutMs: 60_000, maxDurationS: 60 });
const livenessOf = async (video: string) => {
  const f = await frames(video);
  return (await buildEvidence(provider, { document: f[0]!, selfie: { kind: 'video', frames: f } })).liveness!;
};

describe('video liveness against planar replays (real engine, real ffmpeg)', () => {
  before(() => provider.warmUp());

  for (const clip of ['grid_lbax4n', 'pyfeat_single_face.mp4']) {
    it(`should pass the live clip ${clip}`, async () => {
      const liveness = await livenessOf(await transcodedClip(clip, 'mp4'));
      assert.ok(liveness.score >= LOCAL_VIDEO_LIVENESS_THRESHOLD, JSON.stringify(liveness));
    });
  }

  const kinds: ReplayKind[] = ['static', 'pan', 'zoom', 'rotate-fast', 'tilt-fast'];
  for (const kind of kinds) {
    it(`should not pass a still photo of the same person replayed as ${kind}`, async () => {
      const still = (await frames(await transcodedClip('pyfeat_single_face.mp4', 'mp4'), 3))[1]!;
      const liveness = await livenessOf(await replayVideo(still, kind));
      assert.ok(liveness.score < LOCAL_VIDEO_LIVENESS_THRESHOLD, JSON.stringify(liveness));
    });
  }
});

describe('active challenge on a real head-turning clip', () => {
  let signals: VideoFrameSignals[];
  before(async () => {
    await provider.warmUp();
    signals = (await analyseVideoFrames(provider, await frames(await headTurnsClip(), 24), { passiveLivenessFrames: 0 })).signals;
  });

  it('should match a challenge whose steps are what the person did (turn to their left, then back)', () => {
    const found = challengeFindings(['turn-left'], signals);
    assert.equal(found.matched, true, JSON.stringify(found));
    assert.ok(found.signals.maxLeftYaw! > 0.12);
  });

  it('should not match a challenge asking for other movements or another order', () => {
    for (const steps of [['turn-right'], ['turn-right', 'turn-left'], ['turn-left', 'turn-right']] as const) {
      const found = challengeFindings([...steps], signals);
      assert.equal(found.matched, false, `${steps.join()} ${JSON.stringify(found)}`);
    }
  });
});
