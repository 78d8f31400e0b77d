/**
 * Recognition quality of one face crop: sharpness (variance of the Laplacian on a greyscale
 * crop of at most 112 px: large faces are scaled down to it so the figure does not depend on
 * their size; smaller ones are never scaled up, because upscaling is itself a blur and made
 * every small, sharp document portrait look "blurred"), exposure
 * (mean and clipping of luminance) and size. The cut-offs are documented in thresholds.ts.
 */
import sharp from 'sharp';
import type { FaceBox, FaceQuality } from '../provider';
import type { RgbImage } from './decode-image';
import { QUALITY_CUTOFFS } from '../thresholds';

export interface QualityMeasure { quality: FaceQuality; signals: Record<string, number> }

const CROP_SIDE = 112;

function clampBox(box: FaceBox, img: RgbImage): { left: number; top: number; width: number; height: number } {
  const left = Math.max(0, Math.floor(box.x));
  const top = Math.max(0, Math.floor(box.y));
  const width = Math.max(1, Math.min(img.width - left, Math.ceil(box.width)));
  const height = Math.max(1, Math.min(img.height - top, Math.ceil(box.height)));
  return { left, top, width, height };
}

export async function measureQuality(img: RgbImage, box: FaceBox, detectionScore: number): Promise<QualityMeasure> {
  const region = clampBox(box, img);
  const side = Math.max(16, Math.min(CROP_SIDE, region.width, region.height));
  const grey = await sharp(img.data, { raw: { width: img.width, height: img.height, channels: 3 } })
    .extract(region)
    .resize(side, side, { fit: 'fill' })
    .greyscale()
    .raw()
    .toBuffer();
  const blur = laplacianVariance(grey, side, side);
  let sum = 0;
  let clipped = 0;
  for (const v of grey) { sum += v; if (v <= 5 || v >= 250) clipped++; }
  const exposure = sum / grey.length / 255;
  const clippedFraction = clipped / grey.length;
  // In the caller's pixels, not the (possibly downscaled) analysed ones.
  const sizePx = Math.min(box.width, box.height) / img.scale;
  const signals = { blur, exposure, clippedFraction, sizePx, detectionScore };
  return { quality: grade(signals), signals };
}

export interface QualitySignals { blur: number; exposure: number; clippedFraction: number; sizePx: number; detectionScore: number }

/** A quality gate and whether the signals fail it at one grade's cut-offs. */
export type QualityGate = 'size' | 'blur' | 'exposure' | 'clipped' | 'detection';

/** The gates the signals fail at the `low` or `high` cut-offs (empty: the face reaches that grade). */
export function failedGates(s: QualitySignals, level: keyof typeof QUALITY_CUTOFFS): QualityGate[] {
  const c = QUALITY_CUTOFFS[level];
  const failed: QualityGate[] = [];
  if (s.sizePx < c.minSizePx) failed.push('size');
  if (s.blur < c.minBlur) failed.push('blur');
  if (s.exposure < c.minExposure || s.exposure > c.maxExposure) failed.push('exposure');
  if (s.clippedFraction > c.maxClipped) failed.push('clipped');
  if (s.detectionScore < c.minDetection) failed.push('detection');
  return failed;
}

function grade(s: QualitySignals): FaceQuality {
  if (failedGates(s, 'low').length > 0) return 'low';
  return failedGates(s, 'high').length === 0 ? 'high' : 'medium';
}

/** Variance of the 4-neighbour Laplacian over the interior pixels. */
export function laplacianVariance(grey: Uint8Array, width: number, height: number): number {
  let n = 0;
  let sum = 0;
  let sumSq = 0;
  for (let y = 1; y < height - 1; y++) {
    for (let x = 1; x < width - 1; x++) {
      const i = y * width + x;
      const lap = (grey[i - 1] ?? 0) + (grey[i + 1] ?? 0) + (grey[i - width] ?? 0) + (grey[i + width] ?? 0) - 4 * (grey[i] ?? 0);
      sum += lap;
      sumSq += lap * lap;
      n++;
    }
  }
  if (n === 0) return 0;
  const mean = sum / n;
  return sumSq / n - mean * mean;
}
