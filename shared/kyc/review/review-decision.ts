/**
 * A person's decision on a verification the policy sent to `review`: what is stored on the record,
 * what a reviewer sends, and the one pure transition from `review` to the human outcome.
 */
import { z } from 'zod';
import { conflict } from '../../errors';
import type { VerificationRecord } from '../verification';

const isoDate = z.iso.datetime({ offset: true });

/** Outcomes a reviewer may give: the two final answers (`review` itself is what they settle). */
export const REVIEW_OUTCOMES = ['approved', 'declined'] as const;
export type ReviewOutcome = (typeof REVIEW_OUTCOMES)[number];

/** Longest reviewer note, in characters. */
export const REVIEW_NOTE_MAX = 1000;

/** `record.review`: the human decision, who made it and when. */
export const reviewDecisionSchema = z.object({
  outcome: z.enum(REVIEW_OUTCOMES),
  /** The reviewer's justification, shown to the tenant with the decision. */
  note: z.string().max(REVIEW_NOTE_MAX).optional(),
  /** `user:<sub>` of the reviewer (never a secret). */
  reviewer: z.string().min(1),
  /** Tenant of the reviewer's token: the case's own tenant, or `platform` for an operator. */
  reviewerTenantId: z.string().min(1),
  decidedAt: isoDate,
  /**
   * Set once the completion event and webhook are queued. A decision without it (a crash between
   * the two writes) is announced again by the `reviewAnnouncementRedrive` timer.
   */
  announcedAt: isoDate.optional(),
});
export type ReviewDecision = z.infer<typeof reviewDecisionSchema>;

/** Body of `POST /api/v1/review/verifications/{id}/decision`. */
export const reviewDecisionBodySchema = z.strictObject({
  outcome: z.enum(REVIEW_OUTCOMES),
  note: z.string().trim().max(REVIEW_NOTE_MAX).optional(),
});
export type ReviewDecisionBody = z.infer<typeof reviewDecisionBodySchema>;

/** The human decision as the tenant's GET shows it. */
export const reviewViewSchema = reviewDecisionSchema.pick({ outcome: true, note: true, reviewer: true, decidedAt: true });
export type ReviewView = z.infer<typeof reviewViewSchema>;

export const toReviewView = (r: ReviewDecision): ReviewView => ({
  outcome: r.outcome,
  ...(r.note ? { note: r.note } : {}),
  reviewer: r.reviewer,
  decidedAt: r.decidedAt,
});

/** The record went to `review` by the policy at some point (open, or settled by a person since). */
export const wentToReview = (record: VerificationRecord): boolean =>
  record.decision?.outcome === 'review' && (record.status === 'review' || record.review !== undefined);

/** 409 `review-already-decided`: a second decision on a settled case (the first one wins). */
export const reviewAlreadyDecided = (record: VerificationRecord) =>
  conflict('review-already-decided', `Verification ${record.id} is already ${record.status}`, {
    currentStatus: record.status,
    ...(record.review ? { decidedAt: record.review.decidedAt } : {}),
  });

/**
 * Settles an open review case, pure. The automated `decision` stays as the policy made it (the
 * evidence a person overruled or confirmed); `status` becomes the person's outcome and `review`
 * records who and when. Anything but an open `review` case is a 409: the first decision is final.
 */
export function applyReviewDecision(
  record: VerificationRecord,
  input: ReviewDecisionBody & { reviewer: string; reviewerTenantId: string },
  now: Date,
): VerificationRecord {
  if (record.status !== 'review' || record.review !== undefined) throw reviewAlreadyDecided(record);
  const at = now.toISOString();
  return {
    ...record,
    status: input.outcome,
    updatedAt: at,
    review: {
      outcome: input.outcome,
      ...(input.note ? { note: input.note } : {}),
      reviewer: input.reviewer,
      reviewerTenantId: input.reviewerTenantId,
      decidedAt: at,
    },
  };
}
