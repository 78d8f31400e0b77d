/**
 * The face-provider port. Two implementations satisfy it: `local/` (offline face-api +
 * human models on tfjs wasm) and `azure/` (Azure AI Face). The `faces` handler analyses
 * the document and the selfie with one provider and hands the results to
 * `evidence-builder.ts`; thresholds live in the decision policy's runtime settings.
 */

import type { TextureFrame, TextureMotion } from './texture-motion';

/** Axis-aligned box in pixels of the analysed image. */
export interface FaceBox { x: number; y: number; width: number; height: number }

/** A 2-D point in pixels of the analysed image. */
export interface Point { x: number; y: number }

export type FaceQuality = 'high' | 'medium' | 'low';

/** One face found in an image. */
export interface DetectedFace {
  box: FaceBox;
  /** Detector confidence in [0, 1]. Azure's detection_03 does not report one: 1 for every face it returns. */
  detectionScore: number;
  /** Provider's verdict for recognition use (blur, exposure, size). */
  quality: FaceQuality;
  /** Component measurements behind `quality` (local: `blur`, `exposure`, `sizePx`), for the audit trail. */
  qualitySignals: Record<string, number>;
  /**
   * Opaque handle that `similarity` accepts: the local provider's 128-d descriptor, or Azure's
   * transient faceId (valid for 24 h, see Azure docs). Never log it: it is biometric data.
   */
  faceRef: FaceRef;
  /** 68-point landmarks (iBUG order) when the provider returns them; Azure detection_03 returns none here. */
  landmarks?: Point[];
}

/** A provider's face handle: local descriptors and Azure face ids are not interchangeable. */
export type FaceRef =
  | { provider: 'local'; descriptor: Float32Array }
  | { provider: 'azure'; faceId: string };

/** What one image holds. */
export interface ImageAnalysis {
  width: number;
  height: number;
  /** Faces above the provider's detection threshold, largest first. */
  faces: DetectedFace[];
}

export interface FaceProvider {
  readonly name: 'local' | 'azure';
  /** Finds faces in a JPEG/PNG/WebP. An image without a face gives `faces: []`; never throws for a decodable image. */
  analyseImage(image: Buffer): Promise<ImageAnalysis>;
  /**
   * Same-person score in [0, 1] for two faces from `analyseImage` of this provider.
   * Calibrated so 0.5 is the provider's own published same/different boundary (local: face-api
   * distance 0.6; Azure: verify's `isIdentical` boundary at confidence 0.5); see `thresholds.ts`.
   */
  similarity(a: FaceRef, b: FaceRef): Promise<number>;
  /**
   * Passive liveness of one face in a still selfie, in [0, 1] (1 = a live capture, not a photo
   * of a photo or screen). Local: human's antispoof + liveness models. Azure has no passive
   * single-image liveness: it returns null there, the mobile liveness session is the Azure way.
   */
  passiveLiveness(image: Buffer, face: DetectedFace): Promise<PassiveLiveness | null>;
  /**
   * Optional: `analyseImage`, then `passiveLiveness` of the face when exactly one was found, in
   * one step (the local provider decodes the image once and makes one trip to a worker). The
   * same results as the two calls; the evidence builder falls back to them without it.
   */
  analyseWithLiveness?(image: Buffer): Promise<AnalysisWithLiveness>;
  /**
   * Optional: the texture-motion measure of video liveness (`texture-motion.ts`), off the caller's
   * thread (the local provider runs it in its worker pool). Pure CPU work on the frames' pixels.
   */
  measureTextureMotion?(frames: TextureFrame[]): Promise<TextureMotion | null>;
  /** Optional: gets ready now (local: starts the workers, loads and compiles the models) instead of on the first image. */
  warmUp?(): Promise<void>;
}

/** `analyseWithLiveness`: the analysis, and the passive liveness of its face when it has exactly one. */
export interface AnalysisWithLiveness {
  analysis: ImageAnalysis;
  passive: PassiveLiveness | null;
}

/** Passive liveness of one face with its component scores. */
export interface PassiveLiveness {
  /** Combined score in [0, 1]. */
  score: number;
  /** Component model outputs in [0, 1], e.g. `antispoof`, `liveness`. */
  signals: Record<string, number>;
}
