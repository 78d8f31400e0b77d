/**
 * The local provider's shortcuts give the same results as the long way (real engine, real frames):
 * analysis and passive liveness in one worker job, and the texture measure of video liveness run
 * in the worker pool instead of on the caller's thread. Evidence built with and without them is equal.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { buildEvidence } from '../../../shared/face/evidence-builder';
import { createLocalFaceProvider } from '../../../shared/face/local/local-provider';
import type { FaceProvider } from '../../../shared/face/provider';
import { measureTextureMotion } from '../../../shared/face/texture-motion';
import { extractFrames, frameAt, LIVE_VIDEO_DIR } from './face-fixtures';

const provider = createLocalFaceProvider({ workers: 2 });
/** The same engine through the port's required methods only: the evidence builder's long way. */
const longWay: FaceProvider = {
  name: 'local',
  analyseImage: (image) => provider.analyseImage(image),
  similarity: (a, b) => provider.similarity(a, b),
  passiveLiveness: (image, face) => provider.passiveLiveness(image, face),
};
const clip = (name: string) => path.join(LIVE_VIDEO_DIR, name);

describe('local face provider shortcuts', () => {
  before(() => provider.warmUp());
  after(() => provider.close());

  it('should analyse and score passive liveness in one job exactly as the two calls do', async () => {
    const selfie = await frameAt(clip('grid_lbax4n.mpg'), 1.5);
    const both = await provider.analyseWithLiveness(selfie);
    const analysis = await provider.analyseImage(selfie);
    assert.equal(both.analysis.faces.length, 1);
    assert.deepEqual(both.analysis, analysis);
    assert.deepEqual(both.passive, await provider.passiveLiveness(selfie, analysis.faces[0]!));
    const twoPeople = await provider.analyseWithLiveness(await frameAt(clip('intel_head-pose-face-detection-female-and-male.mp4'), 0.5));
    assert.ok(twoPeople.analysis.faces.length !== 1);
    assert.equal(twoPeople.passive, null, 'no passive score unless exactly one face');
  });

  it('should measure texture motion in a worker exactly as on this thread', async () => {
    const frames = await extractFrames(clip('grid_bbaf2n.mpg'), { fps: 2, max: 5 });
    const analyses = await Promise.all(frames.map((f) => provider.analyseImage(f)));
    const textureFrames = frames.map((image, i) => ({ image, landmarks: analyses[i]!.faces[0]!.landmarks! }));
    const inWorker = await provider.measureTextureMotion(textureFrames);
    assert.ok(inWorker && inWorker.pairs > 0);
    assert.deepEqual(inWorker, await measureTextureMotion(textureFrames));
  });

  it('should build the same photo and video evidence with and without the shortcuts', async () => {
    const document = await frameAt(clip('grid_bbaf2n.mpg'), 0.3);
    const selfie = await frameAt(clip('grid_bbaf2n.mpg'), 2.5);
    const frames = await extractFrames(clip('grid_bbaf2n.mpg'), { fps: 2, max: 5 });
    for (const input of [
      { document, selfie: { kind: 'photo' as const, image: selfie } },
      { document, selfie: { kind: 'video' as const, frames } },
    ]) {
      const [short, long] = [await buildEvidence(provider, input), await buildEvidence(longWay, input)];
      assert.deepEqual(short, long, input.selfie.kind);
    }
  });
});
