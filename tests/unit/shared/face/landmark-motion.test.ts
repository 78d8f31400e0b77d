import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { homographyResidual, interOcularDistance, procrustesResidual } from '../../../../shared/face/landmark-motion';
import { faceShape, homography, similarityTransform } from './face-shape';

describe('landmark motion', () => {
  it('should measure the inter-ocular distance between the eye centres', () => {
    assert.ok(Math.abs(interOcularDistance(faceShape()) - 60) < 1e-9);
  });

  it('should leave no residual for a panned, zoomed and rotated copy (rigid 2-D motion)', () => {
    const face = faceShape();
    const moved = similarityTransform(face, 1.3, 0.2, 40, -15);
    assert.ok(procrustesResidual(face, moved)! < 1e-9);
    assert.ok(homographyResidual(face, moved)! < 1e-9);
  });

  it('should leave no homography residual for a tilted print, where the similarity residual grows', () => {
    const face = faceShape();
    const tilted = homography(face, [1, 0.05, 3, 0.02, 0.95, 2, 0.0012, 0.0004]);
    assert.ok(homographyResidual(face, tilted)! < 1e-6);
    assert.ok(procrustesResidual(face, tilted)! > 0.01);
  });

  it('should see an opening mouth and a blink as non-rigid motion, whatever the rigid motion', () => {
    const face = faceShape();
    const talking = similarityTransform(faceShape({ mouthOpen: 0.3, eyeOpen: 0.05 }), 0.9, -0.1, 5, 5);
    assert.ok(procrustesResidual(face, talking)! > 0.03);
    assert.ok(homographyResidual(face, talking)! > 0.03);
  });

  it('should return null for unusable shapes', () => {
    assert.equal(procrustesResidual(faceShape(), faceShape().slice(0, 10)), null);
    assert.equal(homographyResidual([], []), null);
    const collapsed = faceShape().map(() => ({ x: 5, y: 5 }));
    assert.equal(homographyResidual(collapsed, faceShape()), null);
  });
});
