/**
 * Turns a provider's analyses of the document and the selfie (a photo, or frames of a
 * short video) into the provider-neutral `Evidence` the decision policy reads.
 */
import type { Evidence, ImageFindings, LivenessFindings } from '../kyc/evidence';
import type { AnalysisWithLiveness, DetectedFace, FaceProvider, FaceQuality, ImageAnalysis } from './provider';
import { assessVideoLivenessOfFrames, type VideoFrameSignals } from './video-liveness';
import { DOCUMENT_DOMINANT_FACE_AREA_RATIO, SELFIE_BACKGROUND_FACE_AREA_RATIO } from './thresholds';
import { challengeFindings } from './challenge-motion';
import type { UsedChallenge } from '../kyc/challenges/challenge';

/** The selfie as the `faces` handler has it: one normalised photo, or frames already extracted from the video. */
export type SelfieInput = { kind: 'photo'; image: Buffer } | { kind: 'video'; frames: Buffer[] };

export interface BuildEvidenceOptions {
  /** Most video frames scored by the passive liveness models (spread evenly); the rest use landmarks only. */
  passiveLivenessFrames?: number;
}

const QUALITY_RANK: Record<FaceQuality, number> = { high: 3, medium: 2, low: 1 };
const area = (f: DetectedFace): number => f.box.width * f.box.height;

/** Findings of one analysed image (its largest face). */
export function imageFindings(analysis: ImageAnalysis): ImageFindings {
  const face = analysis.faces[0];
  if (!face) return { faceCount: 0, detectionScore: 0, quality: 'none', faceSizePx: 0 };
  return {
    faceCount: analysis.faces.length,
    detectionScore: face.detectionScore,
    quality: face.quality,
    faceSizePx: Math.round(Math.min(face.box.width, face.box.height)),
  };
}

/**
 * The document's face used for matching: the largest, when it clearly dominates. ID cards
 * often carry a small "ghost" copy of the portrait, which must not make the document unusable;
 * two faces of similar size (a photo of two people) do.
 */
export function documentFace(analysis: ImageAnalysis): DetectedFace | null {
  const [first, second] = analysis.faces;
  if (!first) return null;
  if (second && area(second) > DOCUMENT_DOMINANT_FACE_AREA_RATIO * area(first)) return null;
  return first;
}

/**
 * A selfie analysis without background faces: faces under SELFIE_BACKGROUND_FACE_AREA_RATIO of
 * the largest one's area (a passer-by, a poster) say nothing about who is in front of the
 * camera, and sending those selfies to review was a measured cause of needless reviews.
 */
export function withoutBackgroundFaces(analysis: ImageAnalysis): ImageAnalysis {
  const [first] = analysis.faces;
  if (!first) return analysis;
  return { ...analysis, faces: analysis.faces.filter((f) => area(f) >= SELFIE_BACKGROUND_FACE_AREA_RATIO * area(first)) };
}

/** The selfie photo's face: exactly one face, or none usable. */
export function selfieFace(analysis: ImageAnalysis): DetectedFace | null {
  return analysis.faces.length === 1 ? analysis.faces[0] ?? null : null;
}

/** Index of the best single-face frame: best quality grade, then detection score times face size. */
export function bestSingleFaceFrame(analyses: ImageAnalysis[]): number | null {
  let best: number | null = null;
  let bestKey = [-1, -1];
  analyses.forEach((a, i) => {
    const face = selfieFace(a);
    if (!face) return;
    const key = [QUALITY_RANK[face.quality], face.detectionScore * Math.min(face.box.width, face.box.height)];
    if (key[0]! > bestKey[0]! || (key[0] === bestKey[0] && key[1]! > bestKey[1]!)) { best = i; bestKey = key; }
  });
  return best;
}

/** Indices of up to `n` items spread evenly over `indices`. */
function spread(indices: number[], n: number): number[] {
  if (indices.length <= n) return indices;
  return Array.from({ length: n }, (_, k) => indices[Math.round((k * (indices.length - 1)) / Math.max(1, n - 1))]!);
}

export interface VideoAssessment {
  analyses: ImageAnalysis[];
  /** Index of the frame used for matching, null when no frame had exactly one face. */
  bestIndex: number | null;
  liveness: LivenessFindings;
  /** Per-frame signals, in time order. */
  signals: VideoFrameSignals[];
}

/** Per-frame analyses of a selfie video and the signals video liveness reads from them. */
export interface AnalysedVideoFrames {
  analyses: ImageAnalysis[];
  /** Index of the frame used for matching, null when no frame had exactly one face. */
  bestIndex: number | null;
  signals: VideoFrameSignals[];
}

/**
 * The selfie photo's analysis and, with exactly one face, its passive liveness: in one step when
 * the provider offers it (one decode, one trip to a worker), else the two calls one after the other.
 */
async function analyseSelfieImage(provider: FaceProvider, image: Buffer): Promise<AnalysisWithLiveness> {
  if (provider.analyseWithLiveness) return provider.analyseWithLiveness(image);
  const analysis = await provider.analyseImage(image);
  const face = selfieFace(analysis);
  return { analysis, passive: face ? await provider.passiveLiveness(image, face) : null };
}

/** Analyses selfie-video frames (faces, landmarks, identity against the best frame, passive models on a few). */
export async function analyseVideoFrames(provider: FaceProvider, frames: Buffer[], opts: BuildEvidenceOptions = {}): Promise<AnalysedVideoFrames> {
  const passiveFrames = opts.passiveLivenessFrames ?? 5;
  // With no more frames than get the passive models, every single-face frame gets them (`spread`
  // keeps all): then each frame's analysis and liveness are one job, the same results in one trip.
  const together = provider.analyseWithLiveness !== undefined && frames.length <= passiveFrames;
  // All at once: the local provider spreads them over its worker pool, Azure over its HTTP calls.
  const results = await Promise.all(frames.map(async (frame) =>
    together ? analyseSelfieImage(provider, frame) : { analysis: await provider.analyseImage(frame), passive: undefined }));
  const analyses = results.map((r) => withoutBackgroundFaces(r.analysis));
  const bestIndex = bestSingleFaceFrame(analyses);
  const bestFace = bestIndex === null ? null : selfieFace(analyses[bestIndex]!);
  const singleIdx = analyses.map((a, i) => (selfieFace(a) ? i : -1)).filter((i) => i >= 0);
  const passiveIdx = new Set(spread(singleIdx, passiveFrames));
  const signals: VideoFrameSignals[] = await Promise.all(analyses.map(async (a, i) => {
    const face = selfieFace(a);
    const known = results[i]!.passive;
    const [identitySimilarity, passive] = await Promise.all([
      face && bestFace ? provider.similarity(bestFace.faceRef, face.faceRef) : null,
      known !== undefined ? known : face && passiveIdx.has(i) ? provider.passiveLiveness(frames[i]!, face) : null,
    ]);
    return { faceCount: a.faces.length, landmarks: face?.landmarks, identitySimilarity, passive, imageWidth: a.width, imageHeight: a.height };
  }));
  return { analyses, bestIndex, signals };
}

/** Analyses selfie-video frames and judges their liveness (identity, non-rigid motion, texture, passive models). */
export async function assessSelfieVideo(provider: FaceProvider, frames: Buffer[], opts: BuildEvidenceOptions = {}): Promise<VideoAssessment> {
  const { analyses, bestIndex, signals } = await analyseVideoFrames(provider, frames, opts);
  // The texture measure is seconds of arithmetic: off the event loop when the provider has workers.
  const measure = provider.measureTextureMotion?.bind(provider);
  return { analyses, bestIndex, signals, liveness: await assessVideoLivenessOfFrames(signals, frames, measure) };
}

/** Everything the decision policy needs about the document and the selfie. */
export async function buildEvidence(
  provider: FaceProvider,
  input: { document: Buffer; selfie: SelfieInput; challenge?: UsedChallenge },
  opts: BuildEvidenceOptions = {},
): Promise<Evidence> {
  // The document and the selfie are independent: analysed at the same time (the local provider's
  // worker pool runs them on two cores).
  const documentPending = provider.analyseImage(input.document);
  documentPending.catch(() => undefined); // awaited below; a selfie failure must not leave it unhandled
  if (input.selfie.kind === 'photo') {
    const [documentAnalysis, selfie] = await Promise.all([documentPending, analyseSelfieImage(provider, input.selfie.image)]);
    const analysis = withoutBackgroundFaces(selfie.analysis);
    const face = selfieFace(analysis);
    const passive = face ? selfie.passive : null;
    const docFace = documentFace(documentAnalysis);
    return {
      provider: provider.name,
      document: imageFindings(documentAnalysis),
      selfie: {
        kind: 'photo',
        best: imageFindings(analysis),
        frames: 1,
        framesWithOneFace: face ? 1 : 0,
        maxFacesInFrame: analysis.faces.length,
      },
      similarity: docFace && face ? await provider.similarity(docFace.faceRef, face.faceRef) : null,
      liveness: passive ? { score: passive.score, method: 'passive-antispoof', signals: passive.signals } : null,
    };
  }
  const [documentAnalysis, video] = await Promise.all([documentPending, assessSelfieVideo(provider, input.selfie.frames, opts)]);
  const docFace = documentFace(documentAnalysis);
  const best = video.bestIndex === null ? null : video.analyses[video.bestIndex]!;
  const bestFace = best ? selfieFace(best) : null;
  return {
    provider: provider.name,
    document: imageFindings(documentAnalysis),
    selfie: {
      kind: 'video',
      best: best ? imageFindings(best) : { faceCount: 0, detectionScore: 0, quality: 'none', faceSizePx: 0 },
      frames: video.analyses.length,
      framesWithOneFace: video.analyses.filter((a) => a.faces.length === 1).length,
      maxFacesInFrame: Math.max(0, ...video.analyses.map((a) => a.faces.length)),
      frameFindings: video.analyses.map(imageFindings),
    },
    similarity: docFace && bestFace ? await provider.similarity(docFace.faceRef, bestFace.faceRef) : null,
    liveness: video.liveness,
    ...(input.challenge ? { challenge: challengeFindings(input.challenge.steps, video.signals) } : {}),
  };
}
