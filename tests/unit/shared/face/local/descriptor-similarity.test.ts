import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { descriptorSimilarity, distanceToSimilarity, euclideanDistance } from '../../../../../shared/face/local/descriptor-similarity';

describe('descriptor similarity', () => {
  it('should map distance 0 to 1, face-api\'s 0.6 boundary to 0.5, and far to 0', () => {
    assert.equal(distanceToSimilarity(0), 1);
    assert.ok(Math.abs(distanceToSimilarity(0.6) - 0.5) < 1e-12);
    assert.equal(distanceToSimilarity(1.5), 0);
  });

  it('should compute the Euclidean distance of two descriptors', () => {
    const a = new Float32Array([0, 0, 0]);
    const b = new Float32Array([0.3, 0.4, 0]);
    assert.ok(Math.abs(euclideanDistance(a, b) - 0.5) < 1e-6);
    assert.ok(Math.abs(descriptorSimilarity(a, b) - (1 - 0.5 / 1.2)) < 1e-6);
    assert.throws(() => euclideanDistance(a, new Float32Array(2)), /length/);
  });
});
