import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { bestSingleFaceFrame, documentFace, imageFindings, selfieFace, withoutBackgroundFaces } from '../../../../shared/face/evidence-builder';
import type { DetectedFace, FaceQuality, ImageAnalysis } from '../../../../shared/face/provider';

const face = (side: number, quality: FaceQuality = 'high', detectionScore = 0.99): DetectedFace => ({
  box: { x: 10, y: 10, width: side, height: side + 10 },
  detectionScore,
  quality,
  qualitySignals: {},
  faceRef: { provider: 'local', descriptor: new Float32Array(128) },
});
const image = (...faces: DetectedFace[]): ImageAnalysis => ({ width: 640, height: 480, faces });

describe('evidence builder', () => {
  it('should describe the largest face of an image', () => {
    assert.deepEqual(imageFindings(image(face(120, 'medium', 0.9), face(40))), { faceCount: 2, detectionScore: 0.9, quality: 'medium', faceSizePx: 120 });
    assert.deepEqual(imageFindings(image()), { faceCount: 0, detectionScore: 0, quality: 'none', faceSizePx: 0 });
  });

  it('should accept a document with a small ghost portrait but not one with two similar faces', () => {
    const main = face(200);
    assert.equal(documentFace(image(main, face(80))), main);
    assert.equal(documentFace(image(main, face(190))), null);
    assert.equal(documentFace(image()), null);
  });

  it('should use a selfie face only when it is the only face', () => {
    const only = face(150);
    assert.equal(selfieFace(image(only)), only);
    assert.equal(selfieFace(image(only, face(50))), null);
    assert.equal(selfieFace(image()), null);
  });

  it('should ignore a much smaller background face in a selfie but keep a second face of similar size', () => {
    const main = face(300);
    assert.deepEqual(withoutBackgroundFaces(image(main, face(100))).faces, [main]);
    assert.equal(selfieFace(withoutBackgroundFaces(image(main, face(100)))), main);
    assert.equal(withoutBackgroundFaces(image(main, face(250))).faces.length, 2);
    assert.deepEqual(withoutBackgroundFaces(image()).faces, []);
  });

  it('should pick the best single-face frame by quality, then score times size', () => {
    const frames = [
      image(face(300, 'medium')),
      image(face(100, 'high', 0.9)),
      image(face(400, 'high'), face(100)),
      image(face(120, 'high', 0.95)),
      image(),
    ];
    assert.equal(bestSingleFaceFrame(frames), 3);
    assert.equal(bestSingleFaceFrame([image(), image(face(1), face(2))]), null);
  });
});
