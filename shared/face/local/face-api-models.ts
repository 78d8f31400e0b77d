/**
 * face-api (wasm build) with the three nets we use: SSD-MobileNet v1 detector, 68-point
 * landmarks and the 128-d recogniser. Loaded lazily on first use, once per process, from
 * memory (see model-files.ts).
 */
import type * as FaceApiType from '@vladmandic/face-api';
import { loadTf, type Tf } from './tf-wasm';
import { modelDirectory, readFaceApiWeights } from './model-files';
import { FACE_API_MODELS } from './model-list';

export type FaceApi = typeof FaceApiType;

export interface FaceApiModels { tf: Tf; faceapi: FaceApi }

let loading: Promise<FaceApiModels> | undefined;

export function loadFaceApiModels(): Promise<FaceApiModels> {
  loading ??= (async () => {
    const tf = await loadTf();
    const faceapi = (await import('@vladmandic/face-api/dist/face-api.node-wasm.js')) as FaceApi;
    const { detector, landmarks: landmarkNet, recogniser: recogniserNet } = FACE_API_MODELS;
    const dir = modelDirectory(detector.pkg, detector.dir);
    const [ssd, landmarks, recogniser] = await Promise.all([
      readFaceApiWeights(tf, dir, detector.name),
      readFaceApiWeights(tf, dir, landmarkNet.name),
      readFaceApiWeights(tf, dir, recogniserNet.name),
    ]);
    // face-api's .d.ts bundles its own copy of the tfjs types; at runtime both are the same tfjs.
    type WeightMap = Parameters<FaceApi['nets']['ssdMobilenetv1']['loadFromWeightMap']>[0];
    faceapi.nets.ssdMobilenetv1.loadFromWeightMap(ssd as unknown as WeightMap);
    faceapi.nets.faceLandmark68Net.loadFromWeightMap(landmarks as unknown as WeightMap);
    faceapi.nets.faceRecognitionNet.loadFromWeightMap(recogniser as unknown as WeightMap);
    return { tf, faceapi };
  })();
  loading.catch(() => { loading = undefined; });
  return loading;
}
