/**
 * Video liveness on real clips (must pass) and on still photos replayed as H.264 "videos"
 * (looped and panned: must fail), end to end through `buildEvidence`.
 */
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { createLocalFaceProvider } from '../../../shared/face/local/local-provider';
import { buildEvidence } from '../../../shared/face/evidence-builder';
import { LOCAL_MATCH_THRESHOLD, LOCAL_VIDEO_LIVENESS_THRESHOLD } from '../../../shared/face/thresholds';
import { extractFrames, frameAt, LIVE_VIDEO_DIR, stillPhotoVideoFrames, TWO_PERSON_CLIP } from './face-fixtures';

const provider = createLocalFaceProvider();
const clip = (name: string) => path.join(LIVE_VIDEO_DIR, name);
const FRAMES = { fps: 4 } as const;

describe('video liveness with the local provider', () => {
  before(() => provider.warmUp());

  it('should pass a real talking person and match them against a frame from the start of the clip', async () => {
    const document = await frameAt(clip('grid_lbax4n.mpg'), 0.1);
    const frames = await extractFrames(clip('grid_lbax4n.mpg'), FRAMES);
    const evidence = await buildEvidence(provider, { document, selfie: { kind: 'video', frames } });
    assert.equal(evidence.selfie.kind, 'video');
    assert.equal(evidence.selfie.frames, frames.length);
    assert.equal(evidence.selfie.framesWithOneFace, frames.length);
    assert.equal(evidence.selfie.maxFacesInFrame, 1);
    assert.ok(evidence.similarity! >= LOCAL_MATCH_THRESHOLD, `similarity ${evidence.similarity}`);
    assert.equal(evidence.liveness?.method, 'video-frames');
    assert.ok(evidence.liveness!.score >= LOCAL_VIDEO_LIVENESS_THRESHOLD, `live score ${JSON.stringify(evidence.liveness)}`);
  });

  it('should pass a real selfie-style clip (neutral to smile)', async () => {
    const frames = await extractFrames(clip('pyfeat_single_face.mp4'), FRAMES);
    const evidence = await buildEvidence(provider, { document: frames[0]!, selfie: { kind: 'video', frames } });
    assert.ok(evidence.liveness!.score >= LOCAL_VIDEO_LIVENESS_THRESHOLD, `live score ${JSON.stringify(evidence.liveness)}`);
  });

  for (const motion of ['loop', 'pan'] as const) {
    it(`should fail a still photo replayed as a video (${motion})`, async () => {
      const still = await frameAt(clip('pyfeat_single_face.mp4'), 1.2);
      const frames = await stillPhotoVideoFrames(still, motion, FRAMES);
      const evidence = await buildEvidence(provider, { document: still, selfie: { kind: 'video', frames } });
      assert.ok(evidence.liveness!.score < LOCAL_VIDEO_LIVENESS_THRESHOLD, `replay score ${JSON.stringify(evidence.liveness)}`);
    });
  }

  it('should report two faces and no single-face frame for the two-person clip', async () => {
    const frames = await extractFrames(clip(TWO_PERSON_CLIP), { fps: 2 });
    const evidence = await buildEvidence(provider, { document: frames[0]!, selfie: { kind: 'video', frames } });
    assert.equal(evidence.selfie.maxFacesInFrame, 2);
    assert.ok(evidence.selfie.framesWithOneFace < frames.length / 2);
    assert.equal(evidence.document.faceCount, 2);
    assert.equal(evidence.similarity, null, 'two similar-size faces on the "document": no clear face to match');
    assert.equal(evidence.liveness?.score, 0);
  });
});
