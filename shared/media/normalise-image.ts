import type { Metadata } from 'sharp';
import { loadSharp } from './load-sharp';
import { MediaError } from './media-error';

/** Bounds of the Azure Face API for detection input: each side 36–4096 px, at most 6 MB. */
export const FACE_API_MIN_SIDE_PX = 36;
export const FACE_API_MAX_SIDE_PX = 4096;
export const FACE_API_MAX_BYTES = 6 * 1024 * 1024;

export interface NormaliseImageOptions {
  /** Largest accepted input, in pixels before resizing (`MEDIA_TOO_LARGE`); guards against decompression bombs. Default 50 MP. */
  maxInputPixels?: number;
  /** Starting JPEG quality (1–100); lowered in steps while the output exceeds `maxBytes`. Default 85. */
  quality?: number;
  /** Output size limit, in bytes. Default 6 MiB (`FACE_API_MAX_BYTES`). */
  maxBytes?: number;
}

export interface NormalisedImage {
  /** Upright baseline JPEG, sRGB, no metadata at all (no EXIF, GPS, XMP, ICC). */
  jpeg: Buffer;
  /** Pixels. */
  width: number;
  height: number;
}

export const DEFAULT_MAX_INPUT_PIXELS = 50_000_000;
/** Quality steps tried after the starting quality when the output is too big. */
const FALLBACK_QUALITIES = [75, 65, 55, 45];

/**
 * Turns any accepted image into what the face providers expect: EXIF orientation
 * applied, every metadata field dropped, each side within 36–4096 px (larger
 * images scaled down; smaller ones scaled up, or padded when scaling up would
 * break the upper bound), ≤ 6 MB. Unreadable or truncated input fails with
 * `UNREADABLE_MEDIA`; an image with more than `maxInputPixels` with `MEDIA_TOO_LARGE`.
 */
export async function normaliseImage(input: Buffer | string, options: NormaliseImageOptions = {}): Promise<NormalisedImage> {
  try {
    return await normalise(input, options);
  } catch (error: unknown) {
    // sharp throws synchronously for some inputs (an empty buffer) and rejects for others.
    throw toMediaError(error);
  }
}

async function normalise(input: Buffer | string, options: NormaliseImageOptions): Promise<NormalisedImage> {
  const sharp = loadSharp();
  const maxInputPixels = options.maxInputPixels ?? DEFAULT_MAX_INPUT_PIXELS;
  const maxBytes = options.maxBytes ?? FACE_API_MAX_BYTES;
  // failOn 'warning' (sharp's default, stated for the reader): libjpeg reports corrupt entropy data only as a
  // warning, and a half-garbled photo is no better for face matching than a truncated one.
  const open = () => sharp(input, { limitInputPixels: maxInputPixels, failOn: 'warning', pages: 1 });

  const metadata = await open().metadata();
  const upright = uprightSize(metadata);
  if (upright.width * upright.height > maxInputPixels) {
    throw new MediaError('MEDIA_TOO_LARGE', 'The image has too many pixels', { maxInputPixels });
  }
  const plan = planSize(upright.width, upright.height);

  const base = open()
    .rotate() // applies EXIF orientation; output carries no metadata since none is kept
    .resize(plan.width, plan.height, { fit: 'fill' })
    .extend({ ...plan.pad, background: '#808080' })
    .flatten({ background: '#ffffff' }); // transparent documents onto white, not black
  for (const quality of [options.quality ?? 85, ...FALLBACK_QUALITIES]) {
    const { data, info } = await base.clone().jpeg({ quality, chromaSubsampling: '4:2:0' }).toBuffer({ resolveWithObject: true });
    if (data.length <= maxBytes) return { jpeg: data, width: info.width, height: info.height };
  }
  throw new MediaError('MEDIA_TOO_LARGE', 'The image cannot be compressed under the size limit', { maxBytes });
}

interface SizePlan {
  width: number;
  height: number;
  pad: { top: number; bottom: number; left: number; right: number };
}

/**
 * Output size for an upright `width × height` image: scale down into 4096 px,
 * scale up to 36 px on the short side when that keeps the long side ≤ 4096,
 * and pad what is still short (a 2 × 3000 strip) with neutral grey.
 */
export function planSize(width: number, height: number): SizePlan {
  const down = Math.min(1, FACE_API_MAX_SIDE_PX / width, FACE_API_MAX_SIDE_PX / height);
  const up = Math.max(1, FACE_API_MIN_SIDE_PX / Math.min(width * down, height * down));
  const scale = Math.min(down * up, FACE_API_MAX_SIDE_PX / Math.max(width, height));
  const w = clamp(Math.round(width * scale));
  const h = clamp(Math.round(height * scale));
  const padX = Math.max(0, FACE_API_MIN_SIDE_PX - w);
  const padY = Math.max(0, FACE_API_MIN_SIDE_PX - h);
  return {
    width: w,
    height: h,
    pad: { left: Math.floor(padX / 2), right: Math.ceil(padX / 2), top: Math.floor(padY / 2), bottom: Math.ceil(padY / 2) },
  };
}

const clamp = (px: number) => Math.min(FACE_API_MAX_SIDE_PX, Math.max(1, px));

/** Width and height after EXIF orientation: orientations 5–8 swap the sides. */
function uprightSize(metadata: Metadata): { width: number; height: number } {
  const { width, height, orientation } = metadata;
  if (!width || !height) throw new MediaError('UNREADABLE_MEDIA', 'The image has no readable dimensions');
  return (orientation ?? 1) >= 5 ? { width: height, height: width } : { width, height };
}

/** sharp reports every problem as a plain Error; the pixel limit is the one that is not "unreadable". */
function toMediaError(error: unknown): MediaError {
  if (error instanceof MediaError) return error;
  const message = error instanceof Error ? error.message : String(error);
  if (/pixel limit/i.test(message)) return new MediaError('MEDIA_TOO_LARGE', 'The image has too many pixels', {}, error);
  return new MediaError('UNREADABLE_MEDIA', 'The image could not be decoded', {}, error);
}
