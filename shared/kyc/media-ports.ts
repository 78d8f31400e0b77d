import { extractFrames } from '../media/extract-frames';
import { normaliseImage } from '../media/normalise-image';
import type { FaceProvider } from '../face/provider';
import { buildEvidence } from '../face/evidence-builder';
import type { EvidenceCollector, FrameExtractor, ImageNormaliser } from './pipeline-ports';

/** The real pipeline ports on `shared/media` (ffmpeg, sharp) and `shared/face`. */
export const ffmpegFrameExtractor: FrameExtractor = async (path, o) =>
  (await extractFrames(path, { count: o.count, timeoutMs: o.timeoutMs, maxDurationS: o.maxDurationS })).frames.map((f) => f.jpeg);

export const sharpImageNormaliser: ImageNormaliser = async (image) => (await normaliseImage(image)).jpeg;

export const evidenceCollectorFor =
  (provider: FaceProvider): EvidenceCollector =>
  (input) =>
    buildEvidence(provider, input);
