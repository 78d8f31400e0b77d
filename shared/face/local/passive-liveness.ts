/**
 * Passive liveness from human's `antispoof` (real vs. printed/screen face) and `liveness`
 * graph models, run directly on tfjs: we already have a face box from face-api, so human's
 * own detector pipeline would only add load time. The crop mirrors what human feeds them:
 * the detector box enlarged 1.4x (human's `face.detector.scale`), RGB scaled to [0, 1],
 * resized to the model's input.
 */
import type * as TfType from '@tensorflow/tfjs';
import type { FaceBox } from '../provider';
import type { RgbImage } from './decode-image';
import { loadTf, type Tf } from './tf-wasm';
import { modelDirectory, readGraphModel } from './model-files';
import { LIVENESS_MODELS } from './model-list';

const CROP_SCALE = 1.4;

interface LivenessModels { tf: Tf; antispoof: TfType.GraphModel; liveness: TfType.GraphModel }

let loading: Promise<LivenessModels> | undefined;

export function loadLivenessModels(): Promise<LivenessModels> {
  loading ??= (async () => {
    const tf = await loadTf();
    const dir = modelDirectory(LIVENESS_MODELS.antispoof.pkg, LIVENESS_MODELS.antispoof.dir);
    const [antispoof, liveness] = await Promise.all([
      readGraphModel(tf, dir, LIVENESS_MODELS.antispoof.name),
      readGraphModel(tf, dir, LIVENESS_MODELS.liveness.name),
    ]);
    return { tf, antispoof, liveness };
  })();
  loading.catch(() => { loading = undefined; });
  return loading;
}

export interface LivenessScores { antispoof: number; liveness: number }

export async function scoreLiveness(img: RgbImage, box: FaceBox): Promise<LivenessScores> {
  const { tf, antispoof, liveness } = await loadLivenessModels();
  const side = Math.max(box.width, box.height) * CROP_SCALE;
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;
  // Normalised [y1, x1, y2, x2]; parts outside the image are filled with 0 by cropAndResize.
  const crop: [number, number, number, number] = [
    (cy - side / 2) / img.height, (cx - side / 2) / img.width, (cy + side / 2) / img.height, (cx + side / 2) / img.width,
  ];
  const run = async (model: TfType.GraphModel): Promise<number> => {
    const shape = model.inputs[0]?.shape ?? [-1, 128, 128, 3];
    const size: [number, number] = [shape[1] ?? 128, shape[2] ?? 128];
    const out = tf.tidy(() => {
      const rgb = tf.tensor3d(new Uint8Array(img.data.buffer, img.data.byteOffset, img.data.byteLength), [img.height, img.width, 3], 'float32');
      const batch = tf.div(tf.expandDims(rgb, 0), 255) as TfType.Tensor4D;
      const face = tf.image.cropAndResize(batch, tf.tensor2d([crop]), tf.tensor1d([0], 'int32'), size);
      return model.execute(face) as TfType.Tensor;
    });
    const value = (await out.data())[0] ?? 0;
    out.dispose();
    return Math.min(1, Math.max(0, value));
  };
  return { antispoof: await run(antispoof), liveness: await run(liveness) };
}
