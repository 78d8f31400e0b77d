/**
 * Face detection, 68-point landmarks and 128-d descriptors with face-api on a padded copy
 * of the image. SSD-MobileNet misses faces that fill the frame (ID-photo crops, close
 * selfies) because its anchors never see the whole face; a border around the image
 * fixes that, and coordinates are shifted back afterwards.
 */
import type { FaceBox, Point } from '../provider';
import type { RgbImage } from './decode-image';
import { loadFaceApiModels } from './face-api-models';
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
  detector: 'ssd' | 'tiny';
  /** Border on each side as a fraction of the image's longer side. */
  pad: number;
  minScore: number;
  /** Tiny Face Detector input size (multiple of 32). */
  inputSize?: number;
}

/**
 * Passes tried in order until one finds a face. The first is the measured default; the others
 * only run on images where it found nothing (small, tight, often greyscale document portraits),
 * so ordinary photos pay for one pass. See thresholds.ts for the measured detection rates.
 */
export const DETECTION_PASSES: readonly DetectionPass[] = [
  { detector: 'ssd', pad: DETECTION_PAD_FRACTION, minScore: LOCAL_DETECTION_MIN_SCORE },
  // Measured on 162 tight/small/greyscale portrait crops of 27 real faces: the first pass finds
  // 115; of its 47 misses SSD with pad 0.5 finds 26 (scores 0.51-0.99, never two faces), pad 0.25
  // on a 320 px upscale 6, Tiny Face Detector (416) 12, Tiny with pad 0.5 on 320 px 22.
  { detector: 'ssd', pad: 0.5, minScore: LOCAL_DETECTION_MIN_SCORE },
];

export async function detectFaces(img: RgbImage, passes: readonly DetectionPass[] = DETECTION_PASSES): Promise<RawFace[]> {
  for (const pass of passes) {
    const faces = await detectWith(img, pass);
    if (faces.length > 0) return faces;
  }
  return [];
}

async function detectWith(img: RgbImage, pass: DetectionPass): Promise<RawFace[]> {
  const { tf, faceapi } = await loadFaceApiModels();
  const pad = Math.round(Math.max(img.width, img.height) * pass.pad);
  const input = tf.tidy(() => {
    const rgb = tf.tensor3d(new Uint8Array(img.data.buffer, img.data.byteOffset, img.data.byteLength), [img.height, img.width, 3], 'int32');
    // Mid-grey border: neutral for the detector, no fake edges that look like a face outline.
    return tf.pad(rgb, [[pad, pad], [pad, pad], [0, 0]], 128) as typeof rgb;
  });
  try {
    const options = pass.detector === 'ssd'
      ? new faceapi.SsdMobilenetv1Options({ minConfidence: pass.minScore, maxResults: MAX_FACES })
      // Tiny needs its net loaded first (face-api-models.ts loads SSD only): a pass for measurements.
      : new faceapi.TinyFaceDetectorOptions({ inputSize: pass.inputSize ?? 416, scoreThreshold: pass.minScore });
    const results = await faceapi.detectAllFaces(input, options).withFaceLandmarks().withFaceDescriptors();
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

/** Keeps a box inside the original image (a face cut by the frame edge keeps its visible part). */
function clip(box: FaceBox, img: RgbImage): FaceBox {
  const x0 = Math.max(0, box.x);
  const y0 = Math.max(0, box.y);
  const x1 = Math.min(img.width, box.x + box.width);
  const y1 = Math.min(img.height, box.y + box.height);
  return { x: x0, y: y0, width: Math.max(0, x1 - x0), height: Math.max(0, y1 - y0) };
}
