/**
 * Face detection, 68-point landmarks and 128-d descriptors with face-api on a padded copy
 * of the image. SSD-MobileNet misses faces that fill the frame (ID-photo crops, close
 * selfies) because its anchors never see the whole face; a border around the image
 * fixes that, and coordinates are shifted back afterwards.
 */
import type { FaceBox, Point } from '../provider';
import type { RgbImage } from './decode-image';
import sharp from 'sharp';
import { loadFaceApiModels, type FaceApi } from './face-api-models';
import { detectBlazeFace } from './blazeface';
import { LOCAL_DETECTION_MIN_SCORE } from '../thresholds';

/**
 * Border added on each side, as a fraction of the image's longer side. Measured on the largest
 * face of each face-api sample photo cropped to exactly its box: unpadded 3/6 found with score
 * ≥ 0.5, 0.25 → 5/6 (scores 0.79–0.99), 0.5 → 5/6 but a looser 1.5x crop then drops to 0.56.
 */
export const DETECTION_PAD_FRACTION = 0.25;
/** Most faces reported per image; a KYC image with more is rejected anyway. */
const MAX_FACES = 10;

export interface RawFace {
  box: FaceBox;
  score: number;
  landmarks: Point[];
  descriptor: Float32Array;
}

/** One detection pass: which detector, how much border, what score counts as a face. */
export interface DetectionPass {
  detector: 'ssd' | 'tiny' | 'blazeface';
  /** Border on each side as a fraction of the image's longer side. */
  pad: number;
  minScore: number;
  /** Tiny Face Detector input size (multiple of 32). */
  inputSize?: number;
  /** Images whose longer side is below this (px) are upscaled to it with sharp first (a measured option). */
  upscaleTo?: number;
}

/**
 * Passes tried in order until one finds a face. The first is the measured default for ordinary
 * photos; the second only runs on images where it found nothing (small, tight, often greyscale
 * document portraits), so ordinary photos pay for one pass.
 * Measured (scripts/measure-face-detectors.ts, bench/face-thresholds.json `detectors`) on 217
 * tight portrait crops (face box x1.0-1.3, 64-200 px, mostly greyscale, JPEG 60-85) of 31 real
 * faces, plus 30 images without a face:
 *   SSD pad 0.25 alone         71/217 found (33 %), 1 false face, 1.0 s per crop;
 *   then SSD pad 0.5 (before)  125/217 (58 %), 2 false faces, 1.6 s per crop;
 *   BlazeFace pad 0.25 alone   217/217 (100 %), 0 false faces, 0.27 s per crop; descriptors from
 *                              its (reshaped) boxes match the original face at median 0.78, p05 0.58;
 *   SSD 0.25 then BlazeFace    217/217 (100 %), 1 false face (SSD's), 0.91 s per crop, median 0.78,
 *                              p05 0.58 (the chosen cascade: SSD's descriptors where it finds the face).
 * BlazeFace is not the first pass: it was trained on near-camera faces and is not the detector
 * we measured on ordinary photos with smaller faces; SSD's descriptors there are the baseline
 * every threshold was measured on.
 */
export const DETECTION_PASSES: readonly DetectionPass[] = [
  { detector: 'ssd', pad: DETECTION_PAD_FRACTION, minScore: LOCAL_DETECTION_MIN_SCORE },
  { detector: 'blazeface', pad: 0.25, minScore: LOCAL_DETECTION_MIN_SCORE },
];

export async function detectFaces(img: RgbImage, passes: readonly DetectionPass[] = DETECTION_PASSES): Promise<RawFace[]> {
  for (const pass of passes) {
    const faces = await detectWith(img, pass);
    if (faces.length > 0) return faces;
  }
  return [];
}

/** A copy of `img` whose longer side is `side` px (same `scale` bookkeeping as decodeRgb). */
async function upscale(img: RgbImage, side: number): Promise<RgbImage> {
  const k = side / Math.max(img.width, img.height);
  const { data, info } = await sharp(img.data, { raw: { width: img.width, height: img.height, channels: 3 } })
    .resize({ width: Math.round(img.width * k), height: Math.round(img.height * k), kernel: 'lanczos3' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, scale: img.scale * (info.width / img.width) };
}

const scaleFace = (f: RawFace, k: number): RawFace => ({
  ...f,
  box: { x: f.box.x * k, y: f.box.y * k, width: f.box.width * k, height: f.box.height * k },
  landmarks: f.landmarks.map((p) => ({ x: p.x * k, y: p.y * k })),
});

async function detectWith(img: RgbImage, pass: DetectionPass): Promise<RawFace[]> {
  if (pass.upscaleTo && Math.max(img.width, img.height) < pass.upscaleTo) {
    const big = await upscale(img, pass.upscaleTo);
    const k = img.width / big.width;
    return (await detectWith(big, { ...pass, upscaleTo: undefined })).map((f) => scaleFace(f, k));
  }
  const { tf, faceapi } = await loadFaceApiModels();
  const pad = Math.round(Math.max(img.width, img.height) * pass.pad);
  const input = tf.tidy(() => {
    const rgb = tf.tensor3d(new Uint8Array(img.data.buffer, img.data.byteOffset, img.data.byteLength), [img.height, img.width, 3], 'int32');
    // Mid-grey border: neutral for the detector, no fake edges that look like a face outline.
    return tf.pad(rgb, [[pad, pad], [pad, pad], [0, 0]], 128) as typeof rgb;
  });
  try {
    const results = await (pass.detector === 'blazeface' ? fromBlazeFace(img, pad, input, pass) : faceapi.detectAllFaces(input, pass.detector === 'ssd'
      ? new faceapi.SsdMobilenetv1Options({ minConfidence: pass.minScore, maxResults: MAX_FACES })
      // Tiny needs its net loaded first (face-api-models.ts loads SSD only): a pass for measurements.
      : new faceapi.TinyFaceDetectorOptions({ inputSize: pass.inputSize ?? 416, scoreThreshold: pass.minScore }),
    ).withFaceLandmarks().withFaceDescriptors());
    return results.slice(0, MAX_FACES).map((r) => {
      const b = r.detection.box;
      return {
        box: clip({ x: b.x - pad, y: b.y - pad, width: b.width, height: b.height }, img),
        score: r.detection.score,
        landmarks: r.landmarks.positions.map((p) => ({ x: p.x - pad, y: p.y - pad })),
        descriptor: r.descriptor,
      };
    }).filter((f) => f.box.width > 0 && f.box.height > 0);
  } finally {
    tf.dispose(input);
  }
}

/**
 * BlazeFace boxes fed to face-api's own landmark and descriptor steps (the same nets, the
 * same alignment as after SSD), in the coordinates of the padded `input`.
 */
async function fromBlazeFace(img: RgbImage, pad: number, input: Parameters<FaceApi['detectAllFaces']>[0], pass: DetectionPass) {
  const { faceapi } = await loadFaceApiModels();
  // BlazeFace pads to a square itself; the face-api steps get the same border as the SSD passes.
  const found = await detectBlazeFace(img, { pad: pass.pad, minScore: pass.minScore, maxFaces: MAX_FACES });
  const dims = { width: img.width + 2 * pad, height: img.height + 2 * pad };
  const detections = found.map((f) => {
    const b = ssdLikeBox(f.box);
    const x = Math.max(0, b.x + pad);
    const y = Math.max(0, b.y + pad);
    const rel = {
      x: x / dims.width, y: y / dims.height,
      width: Math.min(dims.width - x, b.width) / dims.width, height: Math.min(dims.height - y, b.height) / dims.height,
    };
    return { detection: new faceapi.FaceDetection(f.score, new faceapi.Rect(rel.x, rel.y, rel.width, rel.height), dims) };
  });
  if (detections.length === 0) return [];
  return new faceapi.DetectAllFaceLandmarksTask(Promise.resolve(detections), input, false).withFaceDescriptors();
}

/**
 * BlazeFace's square box reshaped like SSD-MobileNet's, which the landmark net and the
 * alignment were tuned on. Measured on 7 clip frames where both found the face: SSD's box is
 * 0.79-0.93 (median 0.86) as wide, 1.11-1.28 (1.16) as tall, its centre 0.05-0.2 (0.09) of the
 * height higher. With the square box, descriptors of the 217 crops matched their originals at
 * p05 0.53 and min 0.46; reshaped, p05 0.58 (median 0.77 → 0.78).
 */
function ssdLikeBox(b: FaceBox): FaceBox {
  const width = b.width * 0.86;
  const height = b.height * 1.16;
  const cx = b.x + b.width / 2;
  const cy = b.y + b.height / 2 - 0.09 * b.height;
  return { x: cx - width / 2, y: cy - height / 2, width, height };
}

/** Keeps a box inside the original image (a face cut by the frame edge keeps its visible part). */
function clip(box: FaceBox, img: RgbImage): FaceBox {
  const x0 = Math.max(0, box.x);
  const y0 = Math.max(0, box.y);
  const x1 = Math.min(img.width, box.x + box.width);
  const y1 = Math.min(img.height, box.y + box.height);
  return { x: x0, y: y0, width: Math.max(0, x1 - x0), height: Math.max(0, y1 - y0) };
}
