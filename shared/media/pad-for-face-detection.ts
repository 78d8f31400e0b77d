import { loadSharp } from './load-sharp';
import { MediaError } from './media-error';

export interface PaddedImage {
  jpeg: Buffer;
  width: number;
  height: number;
  /** Where the original image's top-left corner now is: subtract these from detected boxes to map them back. */
  offsetX: number;
  offsetY: number;
}

/**
 * Adds a neutral grey border of `ratio` × each side around an image. Face
 * detectors trained on whole scenes miss a face that fills the frame (a tightly
 * cropped document photo or selfie); the border gives them the context they
 * expect. Grey rather than mirrored edges, which could duplicate a half face.
 */
export async function padForFaceDetection(jpeg: Buffer, ratio = 0.25): Promise<PaddedImage> {
  if (!(ratio >= 0 && ratio <= 2)) throw new RangeError('ratio must be within 0..2');
  try {
    const image = loadSharp()(jpeg, { failOn: 'error' });
    const { width, height } = await image.metadata();
    if (!width || !height) throw new Error('no dimensions');
    const offsetX = Math.round(width * ratio);
    const offsetY = Math.round(height * ratio);
    const { data, info } = await image
      .extend({ left: offsetX, right: offsetX, top: offsetY, bottom: offsetY, background: '#808080' })
      .jpeg({ quality: 90 })
      .toBuffer({ resolveWithObject: true });
    return { jpeg: data, width: info.width, height: info.height, offsetX, offsetY };
  } catch (error: unknown) {
    throw new MediaError('UNREADABLE_MEDIA', 'The image could not be decoded', {}, error);
  }
}
