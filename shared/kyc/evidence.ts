/**
 * What the face work found, in a provider-neutral shape: the `faces` handler
 * builds it (from `shared/face/`), the decision policy (`shared/kyc/decision.ts`)
 * turns it into an outcome. Scores are in [0, 1], higher = more confident.
 */

/** Faces found in one normalised image (a document, a selfie photo, or one video frame). */
export interface ImageFindings {
  /** Faces whose detection score passed the provider's detection threshold. */
  faceCount: number;
  /** Detection score of the largest face, 0 when none. */
  detectionScore: number;
  /** Provider's quality verdict for the largest face (blur, exposure, size). */
  quality: 'high' | 'medium' | 'low' | 'none';
  /** Shorter side of the largest face box, in pixels of the normalised image. */
  faceSizePx: number;
}

export interface LivenessFindings {
  /** Combined liveness score. */
  score: number;
  /** How it was judged: a photo's passive anti-spoof, motion/consistency across video frames, or Azure's liveness session. */
  method: 'passive-antispoof' | 'video-frames' | 'azure-liveness-session';
  /** Named component scores, for the audit trail and tuning (e.g. `antispoof`, `nonRigidMotion`, `identityConsistency`). */
  signals: Record<string, number>;
}

/** How the selfie video followed its active challenge (`kyc/challenges/match-challenge.ts`). */
export interface ChallengeFindings {
  steps: Array<'turn-left' | 'turn-right' | 'blink'>;
  observed: Array<'turn-left' | 'turn-right' | 'blink'>;
  matched: boolean;
  /** Measurements behind `observed` (frames, framesWithFace, maxLeftYaw, maxRightYaw, minEyeRatio). */
  signals: Record<string, number>;
}

export interface Evidence {
  provider: 'local' | 'azure';
  document: ImageFindings;
  selfie: {
    kind: 'photo' | 'video';
    /** For a video: findings of the frame used for matching (the best single-face frame). */
    best: ImageFindings;
    /** Frames analysed (1 for a photo). */
    frames: number;
    /** Frames in which exactly one face was found. */
    framesWithOneFace: number;
    /** Most faces seen in any one frame. */
    maxFacesInFrame: number;
    /** For a video: findings of every analysed frame, in time order (the review desk shows them per frame). */
    frameFindings?: ImageFindings[];
  };
  /** Similarity of the document face and the selfie face; null when either has no single clear face. */
  similarity: number | null;
  liveness: LivenessFindings | null;
  /** Present when the video answered an active challenge. */
  challenge?: ChallengeFindings;
}
