/**
 * The offline face provider: face-api for detection, landmarks and descriptors; sharp for
 * quality; human's antispoof + liveness models for passive liveness. All of it runs in a pool
 * of worker threads (one per core, started on the first image), so face work never blocks the
 * host's event loop and independent images (document and selfie, video frames) run in parallel.
 */
import { availableParallelism } from 'node:os';
import path from 'node:path';
import type { AnalysisWithLiveness, DetectedFace, FaceProvider, FaceRef, ImageAnalysis, PassiveLiveness } from '../provider';
import type { TextureFrame, TextureMotion } from '../texture-motion';
import { descriptorSimilarity } from './descriptor-similarity';
import type { FaceJob } from './face-worker';
import { createWorkerPool, type WorkerPool } from './worker-pool';

function descriptorOf(ref: FaceRef): Float32Array {
  if (ref.provider !== 'local') throw new Error('local provider got a face reference from another provider');
  return ref.descriptor;
}

export interface LocalFaceProvider extends FaceProvider {
  /** Starts every worker and loads its models now (e.g. before a benchmark), instead of on the first image. */
  warmUp(): Promise<void>;
  /** Always available offline (never null). */
  passiveLiveness(image: Buffer, face: DetectedFace): Promise<PassiveLiveness>;
  analyseWithLiveness(image: Buffer): Promise<AnalysisWithLiveness>;
  measureTextureMotion(frames: TextureFrame[]): Promise<TextureMotion | null>;
  /** Stops the workers (they never keep a process alive on their own; tests and scripts may stop them early). */
  close(): Promise<void>;
}

export interface LocalFaceProviderOptions {
  /** Worker threads (default: one per core). */
  workers?: number;
  /** Worker entry script (default: face-worker-main.js beside this file); tests inject faults with their own. */
  workerScript?: string;
}

export function createLocalFaceProvider(options: LocalFaceProviderOptions = {}): LocalFaceProvider {
  let pool: WorkerPool | undefined;
  const run = <T>(job: FaceJob): Promise<T> => {
    pool ??= createWorkerPool({ script: options.workerScript ?? path.join(__dirname, 'face-worker-main.js'), size: workers });
    return pool.run<T>(job);
  };
  const workers = options.workers ?? availableParallelism();
  return {
    name: 'local',
    async warmUp() {
      await Promise.all(Array.from({ length: workers }, () => run({ op: 'warm-up' })));
    },
    analyseImage(image: Buffer): Promise<ImageAnalysis> {
      return run({ op: 'analyse', image });
    },
    async similarity(a: FaceRef, b: FaceRef): Promise<number> {
      return descriptorSimilarity(descriptorOf(a), descriptorOf(b));
    },
    passiveLiveness(image: Buffer, face: DetectedFace): Promise<PassiveLiveness> {
      return run({ op: 'passive-liveness', image, box: face.box });
    },
    analyseWithLiveness(image: Buffer): Promise<AnalysisWithLiveness> {
      return run({ op: 'analyse-with-liveness', image });
    },
    measureTextureMotion(frames: TextureFrame[]): Promise<TextureMotion | null> {
      return run({ op: 'texture-motion', frames });
    },
    async close() {
      await pool?.close();
      pool = undefined;
    },
  };
}
