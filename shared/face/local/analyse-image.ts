/**
 * The offline engine's work on one image, on the calling thread: decode, detect, landmarks,
 * descriptors, quality; passive liveness of a face. `face-worker.ts` runs these inside the
 * worker pool; nothing on the host's main thread should call them directly.
 */
import type { AnalysisWithLiveness, DetectedFace, FaceBox, ImageAnalysis, PassiveLiveness } from '../provider';
import { decodeRgb, type RgbImage } from './decode-image';
import { detectFaces } from './detect-faces';
import { measureQuality } from './image-quality';
import { scoreLiveness, loadLivenessModels } from './passive-liveness';
import { loadFaceApiModels } from './face-api-models';
import { combinePassiveLiveness } from '../liveness-score';

const scaleBox = (b: FaceBox, k: number): FaceBox => ({ x: b.x * k, y: b.y * k, width: b.width * k, height: b.height * k });

/** Faces in the caller's pixel coordinates (the image may have been analysed downscaled). */
async function analyseRgb(img: RgbImage): Promise<ImageAnalysis> {
  const raw = await detectFaces(img);
  const back = 1 / img.scale;
  const faces: DetectedFace[] = await Promise.all(raw.map(async (f) => {
    const q = await measureQuality(img, f.box, f.score);
    return {
      box: scaleBox(f.box, back),
      detectionScore: f.score,
      quality: q.quality,
      qualitySignals: q.signals,
      faceRef: { provider: 'local', descriptor: f.descriptor } as const,
      landmarks: f.landmarks.map((p) => ({ x: p.x * back, y: p.y * back })),
    };
  }));
  faces.sort((a, b) => b.box.width * b.box.height - a.box.width * a.box.height);
  return { width: Math.round(img.width * back), height: Math.round(img.height * back), faces };
}

export async function analyseImageHere(image: Buffer): Promise<ImageAnalysis> {
  return analyseRgb(await decodeRgb(image));
}

/** `analyseImageHere` and, for an image with exactly one face, `passiveLivenessHere`, on one decode. */
export async function analyseWithLivenessHere(image: Buffer): Promise<AnalysisWithLiveness> {
  const img = await decodeRgb(image);
  const analysis = await analyseRgb(img);
  const [face] = analysis.faces;
  if (!face || analysis.faces.length !== 1) return { analysis, passive: null };
  const scores = await scoreLiveness(img, scaleBox(face.box, img.scale));
  return { analysis, passive: { score: combinePassiveLiveness(scores), signals: { ...scores } } };
}

export async function passiveLivenessHere(image: Buffer, box: FaceBox): Promise<PassiveLiveness> {
  const img = await decodeRgb(image);
  const scores = await scoreLiveness(img, scaleBox(box, img.scale));
  return { score: combinePassiveLiveness(scores), signals: { ...scores } };
}

/** A blank image run through detection once: the first inference compiles wasm kernels (~0.5 s). */
let warm: Promise<void> | undefined;
export function warmUpHere(): Promise<void> {
  warm ??= (async () => {
    await Promise.all([loadFaceApiModels(), loadLivenessModels()]);
    const blank = { data: Buffer.alloc(64 * 64 * 3, 128), width: 64, height: 64, scale: 1 };
    await detectFaces(blank);
  })();
  warm.catch(() => { warm = undefined; });
  return warm;
}
