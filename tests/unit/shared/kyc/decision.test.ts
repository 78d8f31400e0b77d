import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decide, type Decision } from '../../../../shared/kyc/decision';
import type { Evidence, ImageFindings } from '../../../../shared/kyc/evidence';
import { parseKycSettings } from '../../../../shared/kyc/kyc-settings';

const settings = parseKycSettings({
  matchThreshold: 0.5,
  declineThreshold: 0.3,
  livenessPhotoThreshold: 0.5,
  livenessVideoThreshold: 0.6,
  livenessSessionThreshold: 0.7,
  minFaceSizePx: 80,
  minFramesWithOneFaceRatio: 0.6,
});

const face = (over: Partial<ImageFindings> = {}): ImageFindings => ({
  faceCount: 1,
  detectionScore: 0.99,
  quality: 'high',
  faceSizePx: 200,
  ...over,
});
const noFace: ImageFindings = { faceCount: 0, detectionScore: 0, quality: 'none', faceSizePx: 0 };

/** A clean photo verification; each row overrides what it tests. */
function evidence(over: {
  document?: ImageFindings;
  selfie?: Partial<Evidence['selfie']>;
  similarity?: number | null;
  liveness?: Evidence['liveness'];
  provider?: Evidence['provider'];
}): Evidence {
  return {
    provider: over.provider ?? 'local',
    document: over.document ?? face(),
    selfie: { kind: 'photo', best: face(), frames: 1, framesWithOneFace: 1, maxFacesInFrame: 1, ...over.selfie },
    similarity: over.similarity === undefined ? 0.8 : over.similarity,
    liveness: over.liveness === undefined ? { score: 0.9, method: 'passive-antispoof', signals: {} } : over.liveness,
  };
}
const video = (over: Partial<Evidence['selfie']> = {}): Partial<Evidence['selfie']> => ({
  kind: 'video',
  best: face(),
  frames: 5,
  framesWithOneFace: 5,
  maxFacesInFrame: 1,
  ...over,
});
const videoLive = (score: number): Evidence['liveness'] => ({ score, method: 'video-frames', signals: { nonRigidMotion: score } });

const rows: Array<{ name: string; e: Evidence; outcome: Decision['outcome']; reasons: string[] }> = [
  { name: 'clean photo match', e: evidence({}), outcome: 'approved', reasons: [] },
  { name: 'similarity exactly at the match threshold', e: evidence({ similarity: 0.5 }), outcome: 'approved', reasons: [] },
  { name: 'clean video match', e: evidence({ selfie: video(), liveness: videoLive(0.8) }), outcome: 'approved', reasons: [] },
  { name: 'clearly different, good quality', e: evidence({ similarity: 0.1 }), outcome: 'declined', reasons: ['FACE_MISMATCH'] },
  { name: 'clearly different and liveness failed', e: evidence({ similarity: 0.1, liveness: { score: 0.1, method: 'passive-antispoof', signals: {} } }), outcome: 'declined', reasons: ['FACE_MISMATCH', 'LIVENESS_FAILED'] },
  { name: 'just below decline threshold', e: evidence({ similarity: 0.2999 }), outcome: 'declined', reasons: ['FACE_MISMATCH'] },
  { name: 'at the decline threshold is borderline', e: evidence({ similarity: 0.3 }), outcome: 'review', reasons: ['FACE_MATCH_BORDERLINE'] },
  { name: 'borderline similarity', e: evidence({ similarity: 0.45 }), outcome: 'review', reasons: ['FACE_MATCH_BORDERLINE'] },
  { name: 'different but blurred selfie', e: evidence({ similarity: 0.1, selfie: { best: face({ quality: 'low' }) } }), outcome: 'review', reasons: ['LOW_QUALITY', 'FACE_MISMATCH'] },
  { name: 'different but tiny document face', e: evidence({ similarity: 0.1, document: face({ faceSizePx: 40 }) }), outcome: 'review', reasons: ['FACE_TOO_SMALL', 'FACE_MISMATCH'] },
  { name: 'match with low-quality document', e: evidence({ document: face({ quality: 'low' }) }), outcome: 'review', reasons: ['LOW_QUALITY'] },
  { name: 'medium quality is fine', e: evidence({ document: face({ quality: 'medium' }), selfie: { best: face({ quality: 'medium' }) } }), outcome: 'approved', reasons: [] },
  { name: 'no face in document', e: evidence({ document: noFace, similarity: null }), outcome: 'review', reasons: ['NO_FACE_IN_DOCUMENT'] },
  { name: 'no face in selfie photo', e: evidence({ selfie: { best: noFace, framesWithOneFace: 0, maxFacesInFrame: 0 }, similarity: null, liveness: null }), outcome: 'review', reasons: ['NO_FACE_IN_SELFIE'] },
  { name: 'two people in the selfie', e: evidence({ selfie: { best: face({ faceCount: 2 }), framesWithOneFace: 0, maxFacesInFrame: 2 }, similarity: null, liveness: null }), outcome: 'review', reasons: ['MULTIPLE_FACES_IN_SELFIE'] },
  { name: 'two comparable faces on the document', e: evidence({ document: face({ faceCount: 2 }), similarity: null }), outcome: 'review', reasons: ['MULTIPLE_FACES_IN_DOCUMENT'] },
  { name: 'ghost portrait on the document (dominant face matched)', e: evidence({ document: face({ faceCount: 2 }) }), outcome: 'approved', reasons: [] },
  { name: 'faces found but no similarity', e: evidence({ similarity: null }), outcome: 'review', reasons: ['FACE_MATCH_UNAVAILABLE'] },
  { name: 'photo liveness failed', e: evidence({ liveness: { score: 0.49, method: 'passive-antispoof', signals: {} } }), outcome: 'review', reasons: ['LIVENESS_FAILED'] },
  { name: 'photo liveness unavailable (azure has no passive liveness)', e: evidence({ provider: 'azure', liveness: null }), outcome: 'review', reasons: ['LIVENESS_UNAVAILABLE'] },
  { name: 'video liveness uses the video threshold', e: evidence({ selfie: video(), liveness: videoLive(0.55) }), outcome: 'review', reasons: ['LIVENESS_FAILED'] },
  { name: 'azure session uses its threshold', e: evidence({ liveness: { score: 0.65, method: 'azure-liveness-session', signals: {} } }), outcome: 'review', reasons: ['LIVENESS_FAILED'] },
  { name: 'second person in one video frame', e: evidence({ selfie: video({ maxFacesInFrame: 2, framesWithOneFace: 4 }), liveness: videoLive(0.8) }), outcome: 'review', reasons: ['MULTIPLE_FACES_IN_SELFIE'] },
  { name: 'face in too few video frames', e: evidence({ selfie: video({ framesWithOneFace: 2 }), liveness: videoLive(0.8) }), outcome: 'review', reasons: ['INCONSISTENT_SELFIE_VIDEO'] },
  { name: 'face in exactly the minimum share of frames', e: evidence({ selfie: video({ framesWithOneFace: 3 }), liveness: videoLive(0.8) }), outcome: 'approved', reasons: [] },
  { name: 'no face in any video frame', e: evidence({ selfie: video({ best: noFace, framesWithOneFace: 0, maxFacesInFrame: 0 }), similarity: null, liveness: null }), outcome: 'review', reasons: ['NO_FACE_IN_SELFIE'] },
  { name: 'nothing usable anywhere', e: evidence({ document: noFace, selfie: { best: noFace, framesWithOneFace: 0, maxFacesInFrame: 0 }, similarity: null, liveness: null }), outcome: 'review', reasons: ['NO_FACE_IN_DOCUMENT', 'NO_FACE_IN_SELFIE'] },
];

describe('decide', () => {
  for (const row of rows) {
    it(`it should give ${row.outcome} [${row.reasons.join(', ')}] for: ${row.name}`, () => {
      const d = decide(row.e, settings);
      assert.equal(d.outcome, row.outcome);
      assert.deepEqual(d.reasons, row.reasons);
    });
  }

  it('it should never approve with a reason, nor decline without FACE_MISMATCH', () => {
    for (const row of rows) {
      const d = decide(row.e, settings);
      if (d.outcome === 'approved') assert.deepEqual(d.reasons, []);
      if (d.outcome === 'declined') assert.ok(d.reasons.includes('FACE_MISMATCH'));
      if (d.reasons.includes('LIVENESS_FAILED')) assert.notEqual(d.outcome, 'approved');
    }
  });

  it('it should report the face match and liveness used', () => {
    const d = decide(evidence({ selfie: video(), liveness: videoLive(0.8), similarity: 0.77, provider: 'azure' }), settings);
    assert.deepEqual(d.faceMatch, { score: 0.77, threshold: 0.5, provider: 'azure' });
    assert.deepEqual(d.liveness, { score: 0.8, passed: true, method: 'video-frames' });
  });

  it('it should name the selfie kind as liveness method when there is no liveness result', () => {
    const d = decide(evidence({ selfie: video(), liveness: null }), settings);
    assert.deepEqual(d.liveness, { score: null, passed: false, method: 'video-frames' });
  });

  it('it should follow the runtime thresholds', () => {
    const strict = parseKycSettings({ matchThreshold: 0.9, declineThreshold: 0.2 });
    assert.equal(decide(evidence({ similarity: 0.8 }), strict).outcome, 'review');
    assert.equal(decide(evidence({ similarity: 0.25 }), strict).outcome, 'review');
    assert.equal(decide(evidence({ similarity: 0.19 }), strict).outcome, 'declined');
  });
});

describe('decide with the tenant policy and active challenges', () => {
  it('it should send a photo selfie that would be approved to review when the tenant disallows photo auto-approval', () => {
    const d = decide(evidence({}), settings, { allowPhotoAutoApprove: false });
    assert.equal(d.outcome, 'review');
    assert.deepEqual(d.reasons, ['PHOTO_AUTO_APPROVE_DISABLED']);
    assert.equal(decide(evidence({}), settings, { allowPhotoAutoApprove: true }).outcome, 'approved');
  });

  it('it should leave declines and video selfies alone under that policy', () => {
    assert.equal(decide(evidence({ similarity: 0.1 }), settings, { allowPhotoAutoApprove: false }).outcome, 'declined');
    const video = evidence({ selfie: { kind: 'video', frames: 5, framesWithOneFace: 5 }, liveness: { score: 0.9, method: 'video-frames', signals: {} } });
    assert.equal(decide(video, settings, { allowPhotoAutoApprove: false }).outcome, 'approved');
  });

  it('it should approve a followed challenge and send a video that did not follow it to review', () => {
    const video = evidence({ selfie: { kind: 'video', frames: 24, framesWithOneFace: 24 }, liveness: { score: 0.9, method: 'video-frames', signals: {} } });
    const steps = ['turn-left', 'turn-right'] as const;
    const followed = decide({ ...video, challenge: { steps: [...steps], observed: [...steps], matched: true, signals: {} } }, settings);
    assert.equal(followed.outcome, 'approved');
    assert.deepEqual(followed.challenge, { matched: true, steps: [...steps], observed: [...steps] });
    const replayed = decide({ ...video, challenge: { steps: [...steps], observed: ['turn-right', 'turn-left'], matched: false, signals: {} } }, settings);
    assert.equal(replayed.outcome, 'review');
    assert.deepEqual(replayed.reasons, ['CHALLENGE_MISMATCH']);
  });
});
