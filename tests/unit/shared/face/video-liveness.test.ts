import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { assessVideoLiveness, landmarksInsideFrame, nonRigidMotion, quantile, ramp, type VideoFrameSignals } from '../../../../shared/face/video-liveness';
import { LOCAL_VIDEO_LIVENESS_THRESHOLD, VIDEO_LIVENESS } from '../../../../shared/face/thresholds';
import { faceShape, homography, jitter, similarityTransform } from './face-shape';

const frame = (landmarks: ReturnType<typeof faceShape>, identitySimilarity = 0.8): VideoFrameSignals => ({
  faceCount: 1, landmarks, identitySimilarity, passive: { score: 0.75, signals: { antispoof: 0.6, liveness: 0.9 } },
});

/** 12 frames of a talking, blinking face that also moves its head a little. */
const liveFrames = () => Array.from({ length: 12 }, (_, i) => frame(jitter(similarityTransform(
  faceShape({ mouthOpen: 0.05 + 0.25 * Math.abs(Math.sin(i)), eyeOpen: i === 5 ? 0.03 : 0.25 }), 1 + i * 0.01, 0.02 * i, i, 0), 0.3, i + 1)));

/** 12 frames of one photo zoomed, rotated and tilted, with detector jitter. */
const replayFrames = () => Array.from({ length: 12 }, (_, i) => frame(jitter(homography(
  similarityTransform(faceShape(), 1 + i * 0.02, 0.03 * i, 3 * i, 2 * i), [1, 0, 0, 0, 1, 0, 0.0004 * i, 0]), 0.3, i + 1), 0.95));

/** Texture residuals of the size measured on live clips and on replays (thresholds.ts). */
const LIVE_TEXTURE = { all: 0.25, eyes: 0.3, mouth: 0.4, rigid: 0.2, pairs: 10 };
const REPLAY_TEXTURE = { all: 0.08, eyes: 0.09, mouth: 0.08, rigid: 0.08, pairs: 10 };

describe('video liveness', () => {
  it('should compute quantiles and ramps', () => {
    assert.equal(quantile([5, 1, 3, 2, 4], 0.5), 3);
    assert.equal(quantile([5, 1, 3, 2, 4], 1), 5);
    assert.equal(ramp(0.01, 0.02, 0.04), 0);
    assert.ok(Math.abs(ramp(0.03, 0.02, 0.04) - 0.5) < 1e-9);
    assert.equal(ramp(0.05, 0.02, 0.04), 1);
  });

  it('should find no motion in a looped still and clear motion in a talking face', () => {
    const still = Array.from({ length: 12 }, () => faceShape());
    assert.ok(nonRigidMotion(still)! < 1e-9);
    assert.ok(nonRigidMotion(liveFrames().map((f) => f.landmarks))! > 0.04);
    assert.equal(nonRigidMotion([faceShape()]), null);
  });

  it('should pass a live face and fail a moved still photo, on the texture evidence', () => {
    const live = assessVideoLiveness(liveFrames(), LIVE_TEXTURE);
    assert.equal(live.method, 'video-frames');
    assert.ok(live.score >= LOCAL_VIDEO_LIVENESS_THRESHOLD, `live score ${live.score}`);
    assert.equal(live.signals.singleFaceFrames, 12);
    assert.equal(live.signals.textureResidual, LIVE_TEXTURE.all);
    const replay = assessVideoLiveness(replayFrames(), REPLAY_TEXTURE);
    assert.ok(replay.score < LOCAL_VIDEO_LIVENESS_THRESHOLD, `replay score ${replay.score}`);
  });

  it('should not pass on landmark motion alone (no texture measured)', () => {
    assert.equal(assessVideoLiveness(liveFrames()).score, 0);
  });

  it('should fail a live-looking video whose frames show different people', () => {
    const frames = liveFrames().map((f, i) => ({ ...f, identitySimilarity: i === 7 ? 0.2 : 0.8 }));
    const result = assessVideoLiveness(frames, LIVE_TEXTURE);
    assert.equal(result.signals.identityConsistency, 0.2);
    assert.equal(result.score, 0);
  });

  it('should fail when most frames hold no face or two faces', () => {
    const frames: VideoFrameSignals[] = liveFrames().map((f, i) => (i % 4 === 0 ? f : { faceCount: i % 2 ? 0 : 2, identitySimilarity: null }));
    assert.equal(assessVideoLiveness(frames, LIVE_TEXTURE).score, 0);
    assert.equal(assessVideoLiveness([], LIVE_TEXTURE).score, 0);
  });

  it('should leave faces cut by the frame edge out of the motion measure', () => {
    const inFrame = { ...frame(faceShape()), imageWidth: 400, imageHeight: 400 };
    assert.equal(landmarksInsideFrame(inFrame), true);
    assert.equal(landmarksInsideFrame({ ...inFrame, imageWidth: 150 }), false);
    const cut = liveFrames().map((f, i) => ({ ...f, imageWidth: i < 10 ? 120 : 400, imageHeight: 400 }));
    const result = assessVideoLiveness(cut, LIVE_TEXTURE);
    assert.equal(result.signals.motionFrames, 2);
    assert.equal(result.signals.nonRigidMotion, undefined);
    assert.equal(result.score, 0);
  });

  it('should give no motion evidence for faces too small to trust their landmarks', () => {
    const small = liveFrames().map((f) => ({ ...f, landmarks: similarityTransform(f.landmarks!, 0.3, 0, 0, 0) }));
    const result = assessVideoLiveness(small, LIVE_TEXTURE);
    assert.ok(result.signals.faceIodPx! < VIDEO_LIVENESS.minFaceIodPx);
    assert.equal(result.score, 0);
  });
});
