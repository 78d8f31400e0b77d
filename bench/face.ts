/**
 * Face engine (local provider): model load (cold, first use in this process), analysis per
 * image for selfie-sized video frames and 1600 px photos, similarity, passive liveness, and
 * a whole 12-frame video selfie through buildEvidence. Floor, measured in the same run: bare
 * SSD-MobileNet detection of the same images (what analysis adds is landmarks, descriptors,
 * quality and decoding).
 */
import path from 'node:path';
import { readFile } from 'node:fs/promises';
import { loadTf } from '../shared/face/local/tf-wasm';
import { loadFaceApiModels } from '../shared/face/local/face-api-models';
import { loadLivenessModels } from '../shared/face/local/passive-liveness';
import { decodeRgb } from '../shared/face/local/decode-image';
import { createLocalFaceProvider } from '../shared/face/local/local-provider';
import { buildEvidence } from '../shared/face/evidence-builder';
import { LOCAL_DETECTION_MIN_SCORE } from '../shared/face/thresholds';
import { extractFrames, LIVE_VIDEO_DIR, sampleImagePaths } from '../tests/integration/face/face-fixtures';
import { percentile, round, timeRuns } from './stats';

async function bareDetectMs(image: Buffer): Promise<number> {
  const { tf, faceapi } = await loadFaceApiModels();
  const img = await decodeRgb(image);
  const started = performance.now();
  const input = tf.tensor3d(new Uint8Array(img.data.buffer, img.data.byteOffset, img.data.byteLength), [img.height, img.width, 3], 'int32');
  await faceapi.detectAllFaces(input, new faceapi.SsdMobilenetv1Options({ minConfidence: LOCAL_DETECTION_MIN_SCORE }));
  input.dispose();
  return performance.now() - started;
}

export async function run(): Promise<Record<string, number | string>> {
  let t = performance.now();
  await loadTf();
  const tfWasmInitMs = performance.now() - t;
  t = performance.now();
  await loadFaceApiModels();
  const faceApiModelLoadMs = performance.now() - t;
  t = performance.now();
  await loadLivenessModels();
  const livenessModelLoadMs = performance.now() - t;

  const provider = createLocalFaceProvider();
  const frames = await extractFrames(path.join(LIVE_VIDEO_DIR, 'pyfeat_single_face.mp4'), { fps: 4 });
  const photos = await Promise.all(sampleImagePaths().map((p) => readFile(p)));
  await provider.analyseImage(frames[0]!); // first inference compiles kernels: not part of steady state
  const firstInferenceMs = (await timeRuns(1, () => provider.analyseImage(photos[0]!)))[0]!;

  const frameAnalyse: number[] = [];
  const frameFloor: number[] = [];
  for (const frame of frames) {
    frameAnalyse.push(...(await timeRuns(1, () => provider.analyseImage(frame))));
    frameFloor.push(await bareDetectMs(frame));
  }
  const photoAnalyse: number[] = [];
  const photoFloor: number[] = [];
  for (const photo of [...photos, ...photos]) {
    photoAnalyse.push(...(await timeRuns(1, () => provider.analyseImage(photo))));
    photoFloor.push(await bareDetectMs(photo));
  }
  const [a, b] = [await provider.analyseImage(frames[0]!), await provider.analyseImage(frames[frames.length - 1]!)];
  const similarity = await timeRuns(1000, () => provider.similarity(a.faces[0]!.faceRef, b.faces[0]!.faceRef));
  const liveness = await timeRuns(10, () => provider.passiveLiveness(frames[0]!, a.faces[0]!));
  const video = frames.slice(0, 12);
  const videoEvidence = await timeRuns(2, () => buildEvidence(provider, { document: frames[0]!, selfie: { kind: 'video', frames: video } }));

  return {
    tfWasmInitMs: round(tfWasmInitMs),
    faceApiModelLoadMs: round(faceApiModelLoadMs),
    livenessModelLoadMs: round(livenessModelLoadMs),
    firstPhotoAnalyseMs: round(firstInferenceMs),
    frameSize: '640x360',
    frameAnalyseMs_p50: round(percentile(frameAnalyse, 50)),
    frameAnalyseMs_p95: round(percentile(frameAnalyse, 95)),
    frameBareDetectFloorMs_p50: round(percentile(frameFloor, 50)),
    photoSize: '1920 px wide, analysed at 1600',
    photoAnalyseMs_p50: round(percentile(photoAnalyse, 50)),
    photoAnalyseMs_p95: round(percentile(photoAnalyse, 95)),
    photoBareDetectFloorMs_p50: round(percentile(photoFloor, 50)),
    similarityUs_p50: round(percentile(similarity, 50) * 1000, 2),
    passiveLivenessMs_p50: round(percentile(liveness, 50)),
    passiveLivenessMs_p95: round(percentile(liveness, 95)),
    videoFrames: video.length,
    videoEvidenceMs_p50: round(percentile(videoEvidence, 50)),
  };
}

if (require.main === module) {
  run().then((r) => console.log(JSON.stringify(r, null, 2)), (e: unknown) => { console.error(e); process.exitCode = 1; });
}
