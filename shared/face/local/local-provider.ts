/**
 * The offline face provider: face-api for detection, landmarks and descriptors; sharp for
 * quality; human's antispoof + liveness models for passive liveness. Models load on first use.
 */
import type { DetectedFace, FaceBox, FaceProvider, FaceRef, ImageAnalysis, PassiveLiveness } from '../provider';
import { decodeRgb, type RgbImage } from './decode-image';
import { detectFaces } from './detect-faces';
import { measureQuality } from './image-quality';
import { descriptorSimilarity } from './descriptor-similarity';
import { scoreLiveness, loadLivenessModels } from './passive-liveness';
import { loadFaceApiModels } from './face-api-models';
import { combinePassiveLiveness } from '../liveness-score';
import { throughEngineGate } from './engine-gate';

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

function descriptorOf(ref: FaceRef): Float32Array {
  if (ref.provider !== 'local') throw new Error('local provider got a face reference from another provider');
  return ref.descriptor;
}

export interface LocalFaceProvider extends FaceProvider {
  /** Loads every model now (e.g. at host start), instead of on the first image. */
  warmUp(): Promise<void>;
  /** Always available offline (never null). */
  passiveLiveness(image: Buffer, face: DetectedFace): Promise<PassiveLiveness>;
}

export function createLocalFaceProvider(): LocalFaceProvider {
  return {
    name: 'local',
    async warmUp() {
      await Promise.all([loadFaceApiModels(), loadLivenessModels()]);
    },
    async analyseImage(image: Buffer): Promise<ImageAnalysis> {
      return throughEngineGate(async () => analyseRgb(await decodeRgb(image)));
    },
    async similarity(a: FaceRef, b: FaceRef): Promise<number> {
      return descriptorSimilarity(descriptorOf(a), descriptorOf(b));
    },
    async passiveLiveness(image: Buffer, face: DetectedFace): Promise<PassiveLiveness> {
      return throughEngineGate(async () => {
        const img = await decodeRgb(image);
        const scores = await scoreLiveness(img, scaleBox(face.box, img.scale));
        return { score: combinePassiveLiveness(scores), signals: { ...scores } };
      });
    },
  };
}
