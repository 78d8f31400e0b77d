/**
 * `POST /api/v1/review/verifications/{id}/decision`: a person settles an open review case.
 *
 * Idempotent by construction:
 * 1. the decision is written under the record's ETag, so of two concurrent decisions exactly one
 *    lands; the other re-reads, finds the case settled and answers 409 `review-already-decided`;
 * 2. the completion event and webhook carry deterministic ids (`completion.ts`), so sending them
 *    again is harmless;
 * 3. `review.announcedAt` is written after they are queued: a crash in between leaves a decision
 *    without it, which a repeated POST (before its 409) or the `reviewAnnouncementRedrive` timer
 *    announces again. At least once, never lost.
 */
import type { Clock } from '../../platform/clock';
import { publishCompletion } from '../completion';
import type { PipelineDeps } from '../pipeline-ports';
import type { VerificationRecord } from '../verification';
import { ifStillThere } from '../verification-store';
import { findReviewCase, type ReviewCaseReader } from './find-review-case';
import { applyReviewDecision, reviewAlreadyDecided, type ReviewDecisionBody } from './review-decision';
import type { ReviewScope } from './review-scope';

export interface ReviewDecisionDeps extends ReviewCaseReader, Pick<PipelineDeps, 'sender' | 'webhook'> {
  clock: Clock;
}

/** Queues the completion announcements of a settled case, then marks it announced (no-op once marked). */
export async function announceReviewDecision(record: VerificationRecord, deps: ReviewDecisionDeps): Promise<void> {
  if (!record.review || record.review.announcedAt) return;
  await publishCompletion(record, deps);
  const announcedAt = deps.clock.now().toISOString();
  // Erased meanwhile: nothing left to mark.
  await ifStillThere(() =>
    deps.verifications.update(record.tenantId, record.id, (r) =>
      r.review && !r.review.announcedAt ? { ...r, review: { ...r.review, announcedAt } } : undefined,
    ),
  );
}

/** Settles case `id` within `scope`; returns the settled record. 404 outside the scope, 409 once settled. */
export async function decideReview(deps: ReviewDecisionDeps, scope: ReviewScope, id: string, body: ReviewDecisionBody): Promise<VerificationRecord> {
  const found = await findReviewCase(deps, scope.tenantId, id);
  if (found.review) {
    // A repeat after a crash between the decision and its announcement still gets it announced.
    await announceReviewDecision(found, deps);
    throw reviewAlreadyDecided(found);
  }
  const input = { ...body, reviewer: scope.reviewer, reviewerTenantId: scope.reviewerTenantId };
  // The store retries a lost ETag race with a fresh read, where `applyReviewDecision` sees the winner and throws 409.
  const { record } = await deps.verifications.update(found.tenantId, id, (current) => applyReviewDecision(current, input, deps.clock.now()));
  await announceReviewDecision(record, deps);
  return record;
}
