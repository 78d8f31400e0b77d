/**
 * Decision accuracy of the local engine end to end (buildEvidence + the decision policy with
 * the default settings) on document/selfie pairs of real people, and how often each quality gate
 * fired. Data sources (all in the repo's fixtures, derived at run time):
 *   - the 8 single-person clips of /work/shared/fixtures/live-video: "selfies" are ordinary frames
 *     ≥ 1 s apart, as shot and re-lit (darker, brighter, re-compressed); "documents" are the
 *     clip's first frame as an ordinary photo and as small, tightly cropped portraits (face box
 *     ×1.0-1.3, 64-200 px wide, colour and greyscale, JPEG 60) like ID-card portraits; selfies
 *     also as other cameras would give them (2x larger, low-contrast JPEG 35);
 *   - the faces of face-api's six sample photos as extra identities (impostor pairs, and tight
 *     96 and 150 px greyscale crops of each face against its 1.6x selfie-like crop).
 * Genuine pairs: a document and a selfie of the same identity; impostor pairs: of different ones.
 * Usage: `node dist/scripts/measure-face-decisions.js` (merges `decisions` into bench/face-thresholds.json).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { buildEvidence } from '../shared/face/evidence-builder';
import { failedGates, type QualityGate, type QualitySignals } from '../shared/face/local/image-quality';
import { createLocalFaceProvider } from '../shared/face/local/local-provider';
import type { FaceBox, FaceProvider, ImageAnalysis } from '../shared/face/provider';
import { decide } from '../shared/kyc/decision';
import { parseKycSettings } from '../shared/kyc/kyc-settings';
import { extractFrames, LIVE_VIDEO_DIR, sampleImagePaths, SINGLE_PERSON_CLIPS } from '../tests/integration/face/face-fixtures';

interface Sample { identity: string; kind: string; image: Buffer }

/** A portrait crop around `box`: `scale` times the box wide, 1.25 times that tall, `width` px, optional greyscale. */
async function portrait(image: Buffer, box: FaceBox, o: { scale: number; width: number; grey: boolean }): Promise<Buffer> {
  const { width: W = 0, height: H = 0 } = await sharp(image).metadata();
  const w = box.width * o.scale;
  const h = w * 1.25;
  const left = Math.max(0, Math.round(box.x + box.width / 2 - w / 2));
  const top = Math.max(0, Math.round(box.y + box.height * 0.45 - h / 2));
  let p = sharp(image).extract({ left, top, width: Math.min(W - left, Math.round(w)), height: Math.min(H - top, Math.round(h)) }).resize({ width: o.width });
  if (o.grey) p = p.greyscale();
  return p.jpeg({ quality: 60 }).toBuffer();
}

const PORTRAITS = [
  { scale: 1.0, width: 64, grey: true }, { scale: 1.1, width: 96, grey: true }, { scale: 1.2, width: 120, grey: false },
  { scale: 1.3, width: 200, grey: true }, { scale: 1.1, width: 160, grey: false },
  // Tighter still: the face box itself, 120-180 px, greyscale (the shape the owners' misses had).
  { scale: 1.0, width: 120, grey: true }, { scale: 1.0, width: 180, grey: true },
];

/** The same photo as other cameras and light would give it: darker, brighter, larger (a phone photo), low-contrast JPEG 35. */
const RELIT = ['dark', 'bright', 'large', 'flat-jpeg35'] as const;
async function relit(image: Buffer): Promise<Buffer[]> {
  const { width = 0 } = await sharp(image).metadata();
  return Promise.all([
    sharp(image).modulate({ brightness: 0.55 }).jpeg({ quality: 70 }).toBuffer(),
    sharp(image).modulate({ brightness: 1.35 }).jpeg({ quality: 70 }).toBuffer(),
    sharp(image).resize({ width: width * 2, kernel: 'lanczos3' }).jpeg({ quality: 85 }).toBuffer(),
    sharp(image).linear(0.6, 50).jpeg({ quality: 35 }).toBuffer(),
  ]);
}

async function samples(provider: FaceProvider): Promise<Sample[]> {
  const out: Sample[] = [];
  for (const clip of SINGLE_PERSON_CLIPS) {
    const frames = await extractFrames(path.join(LIVE_VIDEO_DIR, clip), { fps: 1, max: 4 });
    const [first, ...later] = frames;
    if (!first || later.length === 0) continue;
    const face = (await provider.analyseImage(first)).faces[0];
    out.push({ identity: clip, kind: 'document:photo', image: first });
    if (face) for (const o of PORTRAITS) out.push({ identity: clip, kind: `document:portrait-${o.width}${o.grey ? '-grey' : ''}`, image: await portrait(first, face.box, o) });
    const selfie = later[later.length - 1]!;
    out.push({ identity: clip, kind: 'selfie:photo', image: selfie });
    for (const [i, image] of (await relit(later[0]!)).entries()) out.push({ identity: clip, kind: `selfie:${RELIT[i]}`, image });
  }
  for (const [p, file] of sampleImagePaths().entries()) {
    const photo = await readFile(file);
    for (const [j, face] of (await provider.analyseImage(photo)).faces.slice(0, 3).entries()) {
      if (Math.min(face.box.width, face.box.height) < 60) continue;
      const identity = `sample${p + 1}#${j}`;
      out.push({ identity, kind: 'document:portrait-96-grey', image: await portrait(photo, face.box, { scale: 1.1, width: 96, grey: true }) });
      out.push({ identity, kind: 'document:portrait-150-grey', image: await portrait(photo, face.box, { scale: 1.0, width: 150, grey: true }) });
      out.push({ identity, kind: 'selfie:photo', image: await portrait(photo, face.box, { scale: 1.6, width: 480, grey: false }) });
    }
  }
  return out;
}

/** Analyses each image once however many pairs it is in. */
function memoised(provider: FaceProvider): FaceProvider {
  const analyses = new Map<Buffer, Promise<ImageAnalysis>>();
  const live = new Map<Buffer, ReturnType<FaceProvider['passiveLiveness']>>();
  return {
    name: provider.name,
    analyseImage: (image) => { if (!analyses.has(image)) analyses.set(image, provider.analyseImage(image)); return analyses.get(image)!; },
    similarity: (a, b) => provider.similarity(a, b),
    passiveLiveness: (image, face) => { if (!live.has(image)) live.set(image, provider.passiveLiveness(image, face)); return live.get(image)!; },
  };
}

type Counts = Record<string, number>;
const sorted = (v: number[]) => [...v].sort((a, b) => a - b);
const bump = (c: Counts, k: string) => { c[k] = (c[k] ?? 0) + 1; };

export async function measureDecisions(provider: FaceProvider) {
  const all = await samples(provider);
  const cached = memoised(provider);
  const settings = parseKycSettings({});
  const documents = all.filter((s) => s.kind.startsWith('document'));
  const selfies = all.filter((s) => s.kind.startsWith('selfie'));
  // Gate firings per analysed image (largest face), at the `low` cut-offs, i.e. the ones that make LOW_QUALITY.
  const gates: Counts = {};
  const gatesByKind: Record<string, Counts> = {};
  const signals: Record<string, number[]> = {};
  const noFace: Counts = {};
  const imageLog: object[] = [];
  let images = 0;
  for (const s of all) {
    const a = await cached.analyseImage(s.image);
    images++;
    const face = a.faces[0];
    if (!face) { bump(noFace, s.kind); continue; }
    for (const [k, v] of Object.entries(face.qualitySignals)) (signals[k] ??= []).push(v);
    imageLog.push({ kind: s.kind, identity: s.identity, faces: a.faces.length, ...face.qualitySignals });
    for (const g of failedGates(face.qualitySignals as unknown as QualitySignals, 'low')) {
      bump(gates, g satisfies QualityGate);
      bump(gatesByKind[g] ??= {}, s.kind);
    }
  }
  const table: Record<'genuine' | 'impostor', { pairs: number; approved: number; declined: number; review: number; reasons: Counts; reviewByDocument: Counts }> = {
    genuine: { pairs: 0, approved: 0, declined: 0, review: 0, reasons: {}, reviewByDocument: {} },
    impostor: { pairs: 0, approved: 0, declined: 0, review: 0, reasons: {}, reviewByDocument: {} },
  };
  const similarities: Record<'genuine' | 'impostor', number[]> = { genuine: [], impostor: [] };
  const pairLog: object[] = [];
  for (const d of documents) {
    for (const s of selfies) {
      const kind = d.identity === s.identity ? 'genuine' : 'impostor';
      // Faces of different sample photos may be the same person: not a known pair either way.
      if (kind === 'impostor' && d.identity.startsWith('sample') && s.identity.startsWith('sample') && d.identity.split('#')[0] !== s.identity.split('#')[0]) continue;
      const evidence = await buildEvidence(cached, { document: d.image, selfie: { kind: 'photo', image: s.image } });
      const decision = decide(evidence, settings);
      pairLog.push({ kind, document: d.kind, selfie: s.kind, similarity: evidence.similarity, outcome: decision.outcome, reasons: decision.reasons, documentQuality: evidence.document.quality, selfieQuality: evidence.selfie.best.quality });
      const row = table[kind];
      row.pairs++;
      row[decision.outcome]++;
      if (evidence.similarity !== null) similarities[kind].push(evidence.similarity);
      for (const r of decision.reasons) bump(row.reasons, r);
      if (decision.outcome === 'review') bump(row.reviewByDocument, d.kind);
    }
  }
  const total = table.genuine.pairs + table.impostor.pairs;
  // Every pair, for re-deciding offline with other thresholds (too large for the committed figures).
  if (process.env.MEASURE_PAIRS_OUT) writeFileSync(process.env.MEASURE_PAIRS_OUT, JSON.stringify({ pairs: pairLog, images: imageLog }));
  return {
    images,
    identities: new Set(all.map((s) => s.identity)).size,
    noFaceByKind: noFace,
    lowGateFirings: gates,
    lowGateFiringsByKind: gatesByKind,
    /** Quality signals of the largest face of every image: the calibration data of QUALITY_CUTOFFS. */
    qualitySignals: Object.fromEntries(Object.entries(signals).map(([k, v]) => {
      const q = sorted(v);
      const at = (p: number) => q[Math.min(q.length - 1, Math.floor(p * q.length))];
      return [k, { n: q.length, min: q[0], p01: at(0.01), p05: at(0.05), p50: at(0.5), p95: at(0.95), max: q[q.length - 1] }];
    })),
    table,
    rates: {
      impostorApproved: table.impostor.approved / Math.max(1, table.impostor.pairs),
      genuineNotApproved: (table.genuine.pairs - table.genuine.approved) / Math.max(1, table.genuine.pairs),
      reviewOfAllPairs: (table.genuine.review + table.impostor.review) / Math.max(1, total),
    },
    similarity: {
      genuineMin: sorted(similarities.genuine)[0] ?? null,
      genuineLowest5: sorted(similarities.genuine).slice(0, 5),
      impostorHighest5: sorted(similarities.impostor).slice(-5),
      impostorP99: sorted(similarities.impostor)[Math.floor(0.99 * similarities.impostor.length)] ?? null,
      /** Share of impostor pairs at or above, and of genuine pairs below, each candidate threshold. */
      candidates: [0.45, 0.475, 0.5, 0.525, 0.55, 0.575, 0.6, 0.625, 0.65].map((t) => ({
        threshold: t,
        impostorAtOrAbove: similarities.impostor.filter((v) => v >= t).length / Math.max(1, similarities.impostor.length),
        genuineBelow: similarities.genuine.filter((v) => v < t).length / Math.max(1, similarities.genuine.length),
      })),
    },
  };
}

async function main(): Promise<void> {
  const provider = createLocalFaceProvider();
  try {
    await provider.warmUp();
    const decisions = await measureDecisions(provider);
    console.log(JSON.stringify(decisions, null, 1));
    const out = path.join(__dirname, '..', '..', 'bench', 'face-thresholds.json');
    const previous = existsSync(out) ? (JSON.parse(readFileSync(out, 'utf8')) as Record<string, unknown>) : {};
    writeFileSync(out, JSON.stringify({ ...previous, decisions: { measuredAt: new Date().toISOString(), ...decisions } }, null, 2) + '\n');
    console.log(`wrote ${out}`);
  } finally {
    await provider.close();
  }
}

if (require.main === module) main().catch((e: unknown) => { console.error(e); process.exitCode = 1; });
