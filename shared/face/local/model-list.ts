/**
 * Every model the offline face engine loads, in one list. The loaders read their models from
 * here and the deployment package (scripts/package.ts) ships exactly these files of the model
 * packages and prunes the rest, so a model added to the engine must be added here to ship.
 */

export interface ModelRef {
  /** npm package that ships the weights. */
  pkg: string;
  /** Directory inside the package. */
  dir: string;
  /** Model name: `<name>-weights_manifest.json` (face-api) or `<name>.json` (tfjs graph model). */
  name: string;
  format: 'face-api' | 'graph';
}

const faceApi = (name: string): ModelRef => ({ pkg: '@vladmandic/face-api', dir: 'model', name, format: 'face-api' });
const human = (name: string): ModelRef => ({ pkg: '@vladmandic/human', dir: 'models', name, format: 'graph' });

/** face-api nets: SSD-MobileNet v1 detector, 68-point landmarks, 128-d recogniser. */
export const FACE_API_MODELS = {
  detector: faceApi('ssd_mobilenetv1_model'),
  landmarks: faceApi('face_landmark_68_model'),
  recogniser: faceApi('face_recognition_model'),
} as const;

/** human's passive liveness graph models. */
export const LIVENESS_MODELS = {
  antispoof: human('antispoof'),
  liveness: human('liveness'),
} as const;

/** human's BlazeFace detector: the fallback pass for tight, small document portraits (detect-faces.ts). */
export const DETECTOR_MODELS = {
  blazeface: human('blazeface'),
} as const;

/** What ships: every model above. */
export const USED_FACE_MODELS: readonly ModelRef[] = [
  ...Object.values(FACE_API_MODELS), ...Object.values(LIVENESS_MODELS), ...Object.values(DETECTOR_MODELS),
];
