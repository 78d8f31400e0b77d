/**
 * Maps face-api's Euclidean descriptor distance to a [0, 1] similarity.
 * `similarity = clamp(1 - distance / 1.2)`: linear, so distance 0.6 — face-api's (dlib's)
 * published same-person boundary, 99.38 % on LFW — lands on 0.5, the same place as Azure
 * verify's `isIdentical` boundary. Thresholds in thresholds.ts are measured on this scale.
 */
export const DISTANCE_AT_HALF = 0.6;

export function euclideanDistance(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) throw new Error(`descriptor length mismatch: ${a.length} vs ${b.length}`);
  let sum = 0;
  for (let i = 0; i < a.length; i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    sum += d * d;
  }
  return Math.sqrt(sum);
}

export function distanceToSimilarity(distance: number): number {
  return Math.min(1, Math.max(0, 1 - distance / (2 * DISTANCE_AT_HALF)));
}

export function descriptorSimilarity(a: Float32Array, b: Float32Array): number {
  return distanceToSimilarity(euclideanDistance(a, b));
}
