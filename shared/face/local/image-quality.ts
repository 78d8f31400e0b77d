/**
 * Recognition quality of one face crop: sharpness (variance of the Laplacian on a
 * fixed-size greyscale crop, so it does not depend on the face's pixel size), exposure
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
  const grey = await sharp(img.data, { raw: { width: img.width, height: img.height, channels: 3 } })
    .extract(clampBox(box, img))
    .resize(CROP_SIDE, CROP_SIDE, { fit: 'fill' })
    .greyscale()
    .raw()
    .toBuffer();
  const blur = laplacianVariance(grey, CROP_SIDE, CROP_SIDE);
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

function grade(s: { blur: number; exposure: number; clippedFraction: number; sizePx: number; detectionScore: number }): FaceQuality {
  const c = QUALITY_CUTOFFS;
  const exposureOk = (lo: number, hi: number) => s.exposure >= lo && s.exposure <= hi;
  if (s.sizePx < c.low.minSizePx || s.blur < c.low.minBlur || !exposureOk(c.low.minExposure, c.low.maxExposure)
    || s.clippedFraction > c.low.maxClipped || s.detectionScore < c.low.minDetection) return 'low';
  if (s.sizePx >= c.high.minSizePx && s.blur >= c.high.minBlur && exposureOk(c.high.minExposure, c.high.maxExposure)
    && s.clippedFraction <= c.high.maxClipped && s.detectionScore >= c.high.minDetection) return 'high';
  return 'medium';
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
