/** Decodes an uploaded image into 8-bit RGB pixels with sharp (EXIF orientation applied). */
import sharp from 'sharp';

export interface RgbImage {
  data: Buffer;
  width: number;
  height: number;
  /** Analysed size / original size (≤ 1): coordinates here times 1/scale are the caller's pixels. */
  scale: number;
}

/** Longest side we analyse; larger images are scaled down (faces stay far above the detector's minimum). */
export const MAX_ANALYSIS_SIDE = 1600;

export async function decodeRgb(image: Buffer): Promise<RgbImage> {
  const meta = await sharp(image, { failOn: 'none' }).metadata();
  // EXIF orientations 5-8 swap the sides.
  const originalWidth = (meta.orientation ?? 1) >= 5 ? meta.height : meta.width;
  const { data, info } = await sharp(image, { failOn: 'none' })
    .rotate()
    .resize({ width: MAX_ANALYSIS_SIDE, height: MAX_ANALYSIS_SIDE, fit: 'inside', withoutEnlargement: true })
    .removeAlpha()
    .toColourspace('srgb')
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, scale: originalWidth ? info.width / originalWidth : 1 };
}
