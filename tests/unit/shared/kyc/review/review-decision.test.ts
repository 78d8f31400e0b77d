import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DomainError } from '../../../../../shared/errors';
import { completedEvent } from '../../../../../shared/kyc/completion';
import type { Decision } from '../../../../../shared/kyc/decision';
import { applyReviewDecision, reviewDecisionBodySchema, wentToReview } from '../../../../../shared/kyc/review/review-decision';
import { newVerificationRecord, toApiView, verificationRecordSchema, type VerificationRecord } from '../../../../../shared/kyc/verification';

const now = new Date('2026-12-01T08:00:00.000Z');
const later = new Date('2026-12-01T09:30:00.000Z');
const decision: Decision = {
  outcome: 'review',
  reasons: ['LOW_QUALITY'],
  faceMatch: { score: 0.6, threshold: 0.55, provider: 'local' },
  liveness: { score: 0.8, passed: true, method: 'passive-antispoof' },
};
const inReview = (): VerificationRecord => ({
  ...newVerificationRecord({ id: 'v1', tenantId: 't1', now, mediaRetentionDays: 7, recordRetentionDays: 90 }),
  status: 'review',
  subjectRef: 'user-42',
  decision,
  decidedAt: now.toISOString(),
});
const by = { reviewer: 'user:rita', reviewerTenantId: 't1' };

describe('review decision', () => {
  it('it should settle an open case: status becomes the outcome, the policy decision stays, who and when are recorded', () => {
    const settled = applyReviewDecision(inReview(), { outcome: 'approved', note: 'document glare, same person', ...by }, later);
    assert.equal(settled.status, 'approved');
    assert.deepEqual(settled.decision, decision);
    assert.equal(settled.decidedAt, now.toISOString(), 'when the policy sent it to review');
    assert.deepEqual(settled.review, { outcome: 'approved', note: 'document glare, same person', reviewer: 'user:rita', reviewerTenantId: 't1', decidedAt: later.toISOString() });
    assert.doesNotThrow(() => verificationRecordSchema.parse(settled));
  });

  it('it should refuse a second decision and a case that is not in review with 409', () => {
    const settled = applyReviewDecision(inReview(), { outcome: 'declined', ...by }, later);
    for (const record of [settled, { ...inReview(), status: 'approved' as const }, { ...inReview(), status: 'processing' as const }]) {
      assert.throws(
        () => applyReviewDecision(record, { outcome: 'approved', ...by }, later),
        (e: unknown) => e instanceof DomainError && e.status === 409 && e.code === 'review-already-decided',
      );
    }
  });

  it('it should know which records went to review', () => {
    assert.equal(wentToReview(inReview()), true);
    assert.equal(wentToReview(applyReviewDecision(inReview(), { outcome: 'approved', ...by }, later)), true);
    assert.equal(wentToReview({ ...inReview(), status: 'approved', decision: { ...decision, outcome: 'approved', reasons: [] } }), false);
  });

  it('it should validate the body: outcome approved or declined, a note of at most 1000 characters, nothing else', () => {
    assert.deepEqual(reviewDecisionBodySchema.parse({ outcome: 'declined', note: '  fake ID  ' }), { outcome: 'declined', note: 'fake ID' });
    for (const bad of [{ outcome: 'review' }, {}, { outcome: 'approved', note: 'x'.repeat(1001) }, { outcome: 'approved', extra: 1 }]) {
      assert.equal(reviewDecisionBodySchema.safeParse(bad).success, false, JSON.stringify(bad).slice(0, 60));
    }
  });

  it("it should show the person's decision in the tenant's GET view, without the reviewer's tenant", () => {
    const view = toApiView(applyReviewDecision(inReview(), { outcome: 'approved', note: 'ok', ...by }, later));
    assert.equal(view.status, 'approved');
    assert.deepEqual(view.review, { outcome: 'approved', note: 'ok', reviewer: 'user:rita', decidedAt: later.toISOString() });
    assert.equal(toApiView(inReview()).review, undefined);
  });

  it('it should announce a settled case as its own reviewed completion event', () => {
    const auto = completedEvent(inReview());
    assert.equal(auto.id, 'v1:verification.completed');
    assert.equal(auto.reviewed, undefined);
    const reviewed = completedEvent(applyReviewDecision(inReview(), { outcome: 'declined', ...by }, later));
    assert.equal(reviewed.id, 'v1:verification.completed:reviewed');
    assert.equal(reviewed.status, 'declined');
    assert.equal(reviewed.outcome, 'declined');
    assert.equal(reviewed.reviewed, true);
    assert.equal(reviewed.decidedAt, later.toISOString());
    assert.deepEqual(reviewed.reasons, ['LOW_QUALITY']);
  });
});
