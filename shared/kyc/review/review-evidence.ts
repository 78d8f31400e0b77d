/**
 * `GET /api/v1/review/verifications/{id}`: what a person needs to settle a case. The policy's
 * decision (scores, reasons), the face findings per image and per video frame, and read-only
 * links to the media that stop working after `kyc.reviewLinkMinutes`. The links are bearer
 * credentials: they go to the reviewer in the response body only, never into logs or telemetry.
 */
import type { MediaLinker } from '../../privacy/media-links';
import type { Decision } from '../decision';
import type { Evidence, ImageFindings } from '../evidence';
import type { VerificationRecord } from '../verification';
import { toReviewView, type ReviewView } from './review-decision';
import { waitingTime } from './review-queue';

/** A read-only link to one stored file. */
export interface MediaLink {
  contentType: string;
  sizeBytes?: number;
  url: string;
}

/** One analysed video frame: its findings and its picture. */
export interface FrameEvidence {
  index: number;
  findings: ImageFindings | null;
  url: string | null;
}

export interface ReviewEvidenceView {
  id: string;
  tenantId: string;
  status: VerificationRecord['status'];
  subjectRef?: string;
  createdAt: string;
  inReviewSince: string;
  waitingMinutes: number;
  overdue: boolean;
  /** The policy's decision: outcome `review`, its reasons, face-match and liveness scores. */
  decision: Decision;
  /** Findings of the face work (absent on cases decided before evidence was kept). */
  evidence: (Omit<Evidence, 'selfie'> & { selfie: SelfieSummary }) | null;
  /** Video selfies: every analysed frame in time order. */
  frames: FrameEvidence[];
  /** Null once the media are erased (retention); then `mediaErasedAt` says when. */
  media: { expiresAt: string; document: MediaLink; selfie: MediaLink & { kind: 'photo' | 'video' } } | null;
  mediaErasedAt?: string;
  /** The person's decision once settled. */
  review?: ReviewView;
}

type SelfieSummary = Omit<Evidence['selfie'], 'frameFindings'>;

/** The selfie's summary; its per-frame findings are listed under `frames` next to each frame's picture. */
const withoutFrames = ({ frameFindings, ...summary }: Evidence['selfie']): SelfieSummary => summary;

export interface ReviewEvidenceDeps {
  links: MediaLinker;
  now: Date;
  linkMinutes: number;
  slaMinutes: number;
}

export async function reviewEvidenceView(record: VerificationRecord, deps: ReviewEvidenceDeps): Promise<ReviewEvidenceView> {
  const decision = record.decision;
  if (!decision || !record.decidedAt) throw new Error(`Verification ${record.id} has no decision`);
  const expiresOn = new Date(deps.now.getTime() + deps.linkMinutes * 60_000);
  const withMedia = record.media !== undefined && record.mediaErasedAt === undefined;
  const link = async (blobName: string) => (withMedia ? deps.links(blobName, expiresOn) : null);
  const evidence = record.evidence;
  const frameFindings = evidence?.selfie.frameFindings;
  const frameNames = record.frames ?? [];
  const frameCount = Math.max(frameNames.length, frameFindings?.length ?? 0);
  const frames = await Promise.all(
    Array.from({ length: frameCount }, async (_, index): Promise<FrameEvidence> => {
      const name = frameNames[index];
      return { index, findings: frameFindings?.[index] ?? null, url: name ? await link(name) : null };
    }),
  );
  let media: ReviewEvidenceView['media'] = null;
  if (withMedia && record.media) {
    const { document, selfie } = record.media;
    const [documentUrl, selfieUrl] = await Promise.all([deps.links(document.blobName, expiresOn), deps.links(selfie.blobName, expiresOn)]);
    media = {
      expiresAt: expiresOn.toISOString(),
      document: { contentType: document.contentType, sizeBytes: document.sizeBytes, url: documentUrl },
      selfie: { kind: selfie.kind, contentType: selfie.contentType, sizeBytes: selfie.sizeBytes, url: selfieUrl },
    };
  }
  return {
    id: record.id,
    tenantId: record.tenantId,
    status: record.status,
    ...(record.subjectRef === undefined ? {} : { subjectRef: record.subjectRef }),
    createdAt: record.createdAt,
    inReviewSince: record.decidedAt,
    ...waitingTime(record.decidedAt, record.review ? new Date(record.review.decidedAt) : deps.now, deps.slaMinutes),
    decision,
    evidence: evidence ? { ...evidence, selfie: withoutFrames(evidence.selfie) } : null,
    frames,
    media,
    ...(record.mediaErasedAt === undefined ? {} : { mediaErasedAt: record.mediaErasedAt }),
    ...(record.review === undefined ? {} : { review: toReviewView(record.review) }),
  };
}
