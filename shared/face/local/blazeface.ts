/**
 * BlazeFace (MediaPipe's short-range face detector, the `blazeface` graph that ships in
 * @vladmandic/human) run directly on tfjs. It was trained on selfie-camera faces that fill much
 * of the frame, so it finds the tight, small, often greyscale document portraits that
 * SSD-MobileNet misses (see DETECTION_PASSES in detect-faces.ts for the measured rates).
 * Anchors and box decoding follow human's src/face/blazeface.ts.
 */
import type * as TfType from '@tensorflow/tfjs';
import type { FaceBox } from '../provider';
import type { RgbImage } from './decode-image';
import { loadTf, type Tf } from './tf-wasm';
import { modelDirectory, readGraphModel } from './model-files';
import { DETECTOR_MODELS } from './model-list';

/** Model input side (px). */
const INPUT = 256;
/** Boxes overlapping more than this (IoU) are one face. */
const IOU_THRESHOLD = 0.3;

interface BlazeFace { tf: Tf; model: TfType.GraphModel; anchors: TfType.Tensor2D }

let loading: Promise<BlazeFace> | undefined;

/** Anchor centres (input px): a 16 px grid with 2 anchors per cell, then a 32 px grid with 6. */
function anchorCentres(): [number, number][] {
  const out: [number, number][] = [];
  for (const [stride, perCell] of [[16, 2], [32, 6]] as const) {
    const cells = Math.ceil(INPUT / stride);
    for (let y = 0; y < cells; y++) {
      for (let x = 0; x < cells; x++) {
        for (let n = 0; n < perCell; n++) out.push([stride * (x + 0.5), stride * (y + 0.5)]);
      }
    }
  }
  return out;
}

export function loadBlazeFace(): Promise<BlazeFace> {
  loading ??= (async () => {
    const tf = await loadTf();
    const ref = DETECTOR_MODELS.blazeface;
    const model = await readGraphModel(tf, modelDirectory(ref.pkg, ref.dir), ref.name);
    return { tf, model, anchors: tf.tensor2d(anchorCentres()) };
  })();
  loading.catch(() => { loading = undefined; });
  return loading;
}

export interface BlazeFaceDetection { box: FaceBox; score: number }

/**
 * Faces in `img` with score ≥ `minScore`, boxes in `img` pixels. The image is padded to a
 * square (mid-grey) plus `pad` × its longer side on each side, then resized to the input.
 */
export async function detectBlazeFace(img: RgbImage, opts: { pad: number; minScore: number; maxFaces: number }): Promise<BlazeFaceDetection[]> {
  const { tf, model, anchors } = await loadBlazeFace();
  const long = Math.max(img.width, img.height);
  const border = Math.round(long * opts.pad);
  const side = long + 2 * border;
  const left = border + Math.floor((long - img.width) / 2);
  const top = border + Math.floor((long - img.height) / 2);
  const [boxes, scores] = tf.tidy(() => {
    const rgb = tf.tensor3d(new Uint8Array(img.data.buffer, img.data.byteOffset, img.data.byteLength), [img.height, img.width, 3], 'int32');
    const square = tf.pad(rgb, [[top, side - img.height - top], [left, side - img.width - left], [0, 0]], 128);
    const input = tf.sub(tf.div(tf.image.resizeBilinear(tf.expandDims(tf.cast(square, 'float32'), 0) as TfType.Tensor4D, [INPUT, INPUT]), 127.5), 1);
    // Four heads (scores and regressors of both grids), told apart by size as human does.
    const heads = (model.execute(input) as TfType.Tensor[]).sort((a, b) => a.size - b.size);
    const [s384, s512, r384, r512] = heads as [TfType.Tensor, TfType.Tensor, TfType.Tensor, TfType.Tensor];
    const raw = tf.squeeze(tf.concat([tf.concat([s512, r512], 2), tf.concat([s384, r384], 2)], 1), [0]) as TfType.Tensor2D;
    const centres = tf.add(tf.slice(raw, [0, 1], [-1, 2]), anchors);
    const half = tf.div(tf.slice(raw, [0, 3], [-1, 2]), 2);
    // [y1, x1, y2, x2] for non-max suppression.
    const start = tf.sub(centres, half);
    const end = tf.add(centres, half);
    const yx = tf.concat([tf.reverse(start, 1), tf.reverse(end, 1)], 1) as TfType.Tensor2D;
    return [yx, tf.squeeze(tf.sigmoid(tf.slice(raw, [0, 0], [-1, 1])), [1]) as TfType.Tensor1D];
  });
  try {
    const keep = await tf.image.nonMaxSuppressionAsync(boxes, scores, opts.maxFaces, IOU_THRESHOLD, opts.minScore);
    const [idx, all, sc] = await Promise.all([keep.array(), boxes.array(), scores.data()]);
    keep.dispose();
    const k = side / INPUT;
    return idx.map((i) => {
      const [y1, x1, y2, x2] = all[i]!;
      return { score: sc[i]!, box: { x: x1! * k - left, y: y1! * k - top, width: (x2! - x1!) * k, height: (y2! - y1!) * k } };
    });
  } finally {
    tf.dispose([boxes, scores]);
  }
}
