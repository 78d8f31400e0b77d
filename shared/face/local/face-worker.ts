/**
 * What a face worker thread does (entry: face-worker-main.ts; see worker-pool.ts): answers `{ id, job }` messages with
 * `{ id, result }` or `{ id, error }`, one job at a time. Models load and warm up as soon as
 * the worker starts, while its first job is still on its way.
 */
import { parentPort } from 'node:worker_threads';
import type { FaceBox } from '../provider';
import { measureTextureMotion, type TextureFrame } from '../texture-motion';
import { analyseImageHere, analyseWithLivenessHere, passiveLivenessHere, warmUpHere } from './analyse-image';

/** What the local provider asks a face worker to do. Images travel as bytes (structured clone). */
export type FaceJob =
  | { op: 'analyse'; image: Uint8Array }
  | { op: 'passive-liveness'; image: Uint8Array; box: FaceBox }
  | { op: 'analyse-with-liveness'; image: Uint8Array }
  | { op: 'texture-motion'; frames: Array<{ image: Uint8Array; landmarks: TextureFrame['landmarks'] }> }
  | { op: 'warm-up' };

const asBuffer = (u: Uint8Array) => Buffer.from(u.buffer, u.byteOffset, u.byteLength);

export async function runFaceJob(job: FaceJob): Promise<unknown> {
  // Texture motion is plain arithmetic on the pixels: it needs no model, so it does not wait for them.
  if (job.op === 'texture-motion') return measureTextureMotion(job.frames.map((f) => ({ image: asBuffer(f.image), landmarks: f.landmarks })));
  await warmUpHere();
  switch (job.op) {
    case 'analyse': return analyseImageHere(asBuffer(job.image));
    case 'passive-liveness': return passiveLivenessHere(asBuffer(job.image), job.box);
    case 'analyse-with-liveness': return analyseWithLivenessHere(asBuffer(job.image));
    case 'warm-up': return null;
  }
}

/** Serves jobs on this worker's port with `handle` (tests wrap `runFaceJob` to inject faults). */
export function serveFaceJobs(handle: (job: FaceJob) => Promise<unknown>): void {
  const port = parentPort;
  if (!port) throw new Error('face-worker must run in a worker thread');
  warmUpHere().catch(() => undefined); // a failure resurfaces on the first job
  port.on('message', ({ id, job }: { id: number; job: FaceJob }) => {
    handle(job).then(
      (result) => port.postMessage({ id, result }),
      (e: unknown) => port.postMessage({ id, error: { message: e instanceof Error ? e.message : String(e), name: e instanceof Error ? e.name : 'Error' } }),
    );
  });
}
