/**
 * The review desk's Cosmos work against the real Cosmos-protocol server: the queue query (scope,
 * filters, order, paging), concurrent decisions under the ETag (one winner), the announcement (the
 * `verification.completed` webhook with `reviewed: true`) and its re-drive after a crash, and the
 * overdue count the SLA metric reports. The webhook port records what it is given: delivery itself
 * is the webhooks queue's work, tested with it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Container } from '@azure/cosmos';
import { DomainError } from '../../../../shared/errors';
import type { Decision } from '../../../../shared/kyc/decision';
import type { CompletionWebhook } from '../../../../shared/kyc/pipeline-ports';
import { decideReview, type ReviewDecisionDeps } from '../../../../shared/kyc/review/decide-review';
import { listReviewQueue } from '../../../../shared/kyc/review/review-queue';
import type { ReviewScope } from '../../../../shared/kyc/review/review-scope';
import { countReviewCasesSince, redriveReviewAnnouncements, reportOverdueReviews } from '../../../../shared/kyc/review/review-sweeps';
import { newVerificationRecord, toApiView, type VerificationRecord } from '../../../../shared/kyc/verification';
import { createVerificationStore, type VerificationStore } from '../../../../shared/kyc/verification-store';
import { ManualClock } from '../../../../shared/platform/clock';
import { METRICS } from '../../../../shared/platform/metric-names';
import type { Telemetry } from '../../../../shared/platform/telemetry';
import { RecordingSender } from '../kyc-harness';
import { startLocalServices, suffix, type LocalServices } from '../local-services';

const start = new Date('2026-12-01T08:00:00.000Z');
const minutes = (n: number) => new Date(start.getTime() + n * 60_000);

const reviewDecision = (reasons: Decision['reasons']): Decision => ({
  outcome: 'review',
  reasons,
  faceMatch: { score: 0.5, threshold: 0.55, provider: 'local' },
  liveness: { score: 0.8, passed: true, method: 'passive-antispoof' },
});

/** A verification the policy sent to review at `decidedAt`, stored as the pipeline stores it. */
function reviewCase(tenantId: string, decidedAt: Date, reasons: Decision['reasons'] = ['LOW_QUALITY']): VerificationRecord {
  const base = newVerificationRecord({ id: `v-${suffix()}`, tenantId, now: start, mediaRetentionDays: 7, recordRetentionDays: 90 });
  return {
    ...base,
    status: 'review',
    media: {
      document: { blobName: `${tenantId}/${base.id}/document.jpg`, contentType: 'image/jpeg', sizeBytes: 10 },
      selfie: { blobName: `${tenantId}/${base.id}/selfie.jpg`, contentType: 'image/jpeg', sizeBytes: 10, kind: 'photo' },
    },
    decision: reviewDecision(reasons),
    decidedAt: decidedAt.toISOString(),
    updatedAt: decidedAt.toISOString(),
  };
}

type SentWebhook = Parameters<CompletionWebhook>[0];

let services: LocalServices;
let container: Container;
let store: VerificationStore;
let webhooks: SentWebhook[];
let clock: ManualClock;
let deps: ReviewDecisionDeps;
const tenantA = `ta-${suffix()}`;
const tenantB = `tb-${suffix()}`;
const reviewerOf = (tenantId: string): ReviewScope => ({ tenantId, reviewer: 'user:rita', reviewerTenantId: tenantId });
const webhooksFor = (id: string) => webhooks.filter((w) => w.event.data.verificationId === id);
/** The host dies while announcing: the decision is stored, the webhook never queued. */
const crashing = (): ReviewDecisionDeps => ({ ...deps, webhook: async () => { throw new Error('host died'); } });

before(async () => {
  services = await startLocalServices();
  container = await services.cosmosContainer('verifications');
  store = createVerificationStore(container);
  webhooks = [];
  clock = new ManualClock(minutes(60));
  deps = { verifications: store, container, sender: new RecordingSender(), clock, webhook: async (w) => void webhooks.push(w) };
});
after(async () => services?.stop());

describe('review desk (Cosmos)', () => {
  it('it should list open cases of one tenant oldest first, by reason and age, page by page', async () => {
    const old = reviewCase(tenantA, minutes(0), ['LOW_QUALITY']);
    const middle = reviewCase(tenantA, minutes(20), ['NO_FACE_IN_DOCUMENT']);
    const recent = reviewCase(tenantA, minutes(50), ['LOW_QUALITY', 'FACE_MATCH_BORDERLINE']);
    const other = reviewCase(tenantB, minutes(10));
    const approved = { ...reviewCase(tenantA, minutes(5)), status: 'approved' as const, decision: { ...reviewDecision([]), outcome: 'approved' as const } };
    // Created out of order: the order comes from the query, not from insertion.
    for (const r of [recent, other, old, approved, middle]) await store.create(r);
    const sla = { now: () => clock.now(), slaMinutes: 30 };

    const all = await listReviewQueue(container, { tenantId: tenantA }, { limit: 50 }, sla);
    assert.deepEqual(all.items.map((i) => i.id), [old.id, middle.id, recent.id]);
    assert.deepEqual(all.items.map((i) => [i.waitingMinutes, i.overdue]), [[60, true], [40, true], [10, false]]);
    assert.deepEqual(all.items[2]?.reasons, ['LOW_QUALITY', 'FACE_MATCH_BORDERLINE']);
    assert.equal(all.items[0]?.faceMatchScore, 0.5);
    assert.equal(all.items[0]?.livenessScore, 0.8);
    assert.equal(all.items[0]?.selfieKind, 'photo');
    assert.equal(all.continuation, undefined);

    const lowQuality = await listReviewQueue(container, { tenantId: tenantA, reason: 'LOW_QUALITY' }, { limit: 50 }, sla);
    assert.deepEqual(lowQuality.items.map((i) => i.id), [old.id, recent.id]);
    const olderThan30 = await listReviewQueue(container, { tenantId: tenantA, olderThanMinutes: 30 }, { limit: 50 }, sla);
    assert.deepEqual(olderThan30.items.map((i) => i.id), [old.id, middle.id]);
    const both = await listReviewQueue(container, { tenantId: tenantA, reason: 'LOW_QUALITY', olderThanMinutes: 30 }, { limit: 50 }, sla);
    assert.deepEqual(both.items.map((i) => i.id), [old.id]);

    const first = await listReviewQueue(container, { tenantId: tenantA }, { limit: 2 }, sla);
    assert.deepEqual(first.items.map((i) => i.id), [old.id, middle.id]);
    assert.ok(first.continuation, 'a second page follows');
    const second = await listReviewQueue(container, { tenantId: tenantA }, { limit: 2, continuation: first.continuation }, sla);
    assert.deepEqual(second.items.map((i) => i.id), [recent.id]);
    assert.equal(second.continuation, undefined);

    // Another tenant's reviewer sees only its own case.
    const b = await listReviewQueue(container, { tenantId: tenantB }, { limit: 50 }, sla);
    assert.deepEqual(b.items.map((i) => i.id), [other.id]);
    // Platform staff: every tenant, in one order.
    const everyone = await listReviewQueue(container, { tenantId: undefined }, { limit: 50 }, sla);
    const ours = everyone.items.filter((i) => i.tenantId === tenantA || i.tenantId === tenantB).map((i) => i.id);
    assert.deepEqual(ours, [old.id, other.id, middle.id, recent.id]);
  });

  it('it should let exactly one of six concurrent decisions win; the others answer 409', async () => {
    const r = reviewCase(tenantA, minutes(1));
    await store.create(r);
    const outcomes = ['approved', 'declined', 'approved', 'declined', 'approved', 'declined'] as const;
    const results = await Promise.allSettled(
      outcomes.map((outcome, i) => decideReview(deps, { ...reviewerOf(tenantA), reviewer: `user:r${i}` }, r.id, { outcome, note: `n${i}` })),
    );
    const winners = results.filter((x) => x.status === 'fulfilled');
    assert.equal(winners.length, 1, JSON.stringify(results.map((x) => x.status)));
    for (const loser of results.filter((x) => x.status === 'rejected')) {
      const e = (loser as PromiseRejectedResult).reason as unknown;
      assert.ok(e instanceof DomainError && e.status === 409 && e.code === 'review-already-decided', String(e));
    }
    const won = (winners[0] as PromiseFulfilledResult<VerificationRecord>).value;
    const stored = await store.get(tenantA, r.id);
    assert.equal(stored?.status, won.review?.outcome);
    assert.equal(stored?.review?.reviewer, won.review?.reviewer);
    assert.equal(stored?.review?.note, won.review?.note);
    assert.equal(stored?.review?.reviewerTenantId, tenantA);
    assert.ok(stored?.review?.announcedAt, 'marked announced');
    assert.equal(stored?.decision?.outcome, 'review', "the policy's decision is kept");
    assert.equal(stored?.decidedAt, r.decidedAt, 'decidedAt stays the time it entered review');

    // The announcement: the verification.completed webhook with reviewed: true, to the tenant's endpoint.
    // Losers that re-announce send the same deterministic id (dropped downstream as a duplicate).
    const hooks = webhooksFor(r.id);
    assert.ok(hooks.length >= 1);
    assert.deepEqual(new Set(hooks.map((w) => w.event.id)), new Set([`${r.id}:verification.completed:${stored?.status}`]));
    const hook = hooks[0]!;
    assert.equal(hook.tenantId, tenantA);
    assert.equal(hook.callbackUrl, undefined, 'no callbackUrl: the tenant endpoint');
    assert.equal(hook.event.type, 'verification.completed');
    assert.equal(hook.event.data.reviewed, true);
    assert.equal(hook.event.data.outcome, stored?.status);
    assert.equal(hook.event.data.status, stored?.status);
    assert.equal(hook.event.data.decidedAt, stored?.review?.decidedAt);
    assert.deepEqual(hook.event.data.reasons, ['LOW_QUALITY'], "the policy's reasons");
    // The owner's GET shows the person's decision.
    assert.equal(toApiView(stored!).review?.outcome, stored?.status);
  });

  it('it should send the webhook to the callbackUrl when the verification has one', async () => {
    const r = { ...reviewCase(tenantA, minutes(2)), callbackUrl: 'https://merchant.example/kyc' };
    await store.create(r);
    await decideReview(deps, reviewerOf(tenantA), r.id, { outcome: 'approved' });
    const [hook] = webhooksFor(r.id);
    assert.equal(hook?.callbackUrl, 'https://merchant.example/kyc');
    assert.equal(hook?.event.data.reviewed, true);
  });

  it("it should answer 404 for another tenant's case and for one the policy decided alone", async () => {
    const r = reviewCase(tenantA, minutes(2));
    const auto = { ...reviewCase(tenantA, minutes(2)), status: 'declined' as const, decision: { ...reviewDecision(['FACE_MISMATCH']), outcome: 'declined' as const } };
    await store.create(r);
    await store.create(auto);
    await assert.rejects(decideReview(deps, reviewerOf(tenantB), r.id, { outcome: 'approved' }), (e: unknown) => e instanceof DomainError && e.status === 404);
    await assert.rejects(decideReview(deps, reviewerOf(tenantA), auto.id, { outcome: 'approved' }), (e: unknown) => e instanceof DomainError && e.status === 404);
    assert.equal((await store.get(tenantA, r.id))?.status, 'review', 'a refused decision changes nothing');
    // Platform staff find it without naming the tenant.
    const settled = await decideReview(deps, { tenantId: undefined, reviewer: 'user:olga', reviewerTenantId: 'platform' }, r.id, { outcome: 'declined' });
    assert.equal(settled.tenantId, tenantA);
    assert.equal(settled.review?.reviewerTenantId, 'platform');
  });

  it('it should announce a decision whose request died before the announcement (timer and repeated POST)', async () => {
    const r = reviewCase(tenantA, minutes(3));
    await store.create(r);
    await assert.rejects(decideReview(crashing(), reviewerOf(tenantA), r.id, { outcome: 'approved' }), /host died/);
    const afterCrash = await store.get(tenantA, r.id);
    assert.equal(afterCrash?.status, 'approved', 'the decision itself landed');
    assert.equal(afterCrash?.review?.announcedAt, undefined);
    assert.equal(webhooksFor(r.id).length, 0);

    // Too fresh for the timer: its own request may still be announcing it.
    assert.equal(await redriveReviewAnnouncements(container, deps), 0);
    clock.advance(5 * 60_000);
    assert.ok((await redriveReviewAnnouncements(container, deps)) >= 1);
    assert.equal(webhooksFor(r.id).length, 1);
    assert.equal(webhooksFor(r.id)[0]?.event.data.reviewed, true);
    assert.ok((await store.get(tenantA, r.id))?.review?.announcedAt);
    // A second run finds nothing left to announce for it.
    await redriveReviewAnnouncements(container, deps);
    assert.equal(webhooksFor(r.id).length, 1);

    // The repeated POST path: another crashed decision, announced by the repeat before its 409.
    const r2 = reviewCase(tenantA, minutes(3));
    await store.create(r2);
    await assert.rejects(decideReview(crashing(), reviewerOf(tenantA), r2.id, { outcome: 'declined' }), /host died/);
    await assert.rejects(
      decideReview(deps, reviewerOf(tenantA), r2.id, { outcome: 'approved' }),
      (e: unknown) => e instanceof DomainError && e.status === 409 && e.code === 'review-already-decided',
    );
    const stored = await store.get(tenantA, r2.id);
    assert.equal(stored?.status, 'declined', 'the first decision stands');
    assert.ok(stored?.review?.announcedAt);
    assert.deepEqual(webhooksFor(r2.id).map((w) => [w.event.data.outcome, w.event.data.reviewed]), [['declined', true]]);
  });

  it('it should count cases waiting past the SLA across tenants and report the metric', async () => {
    const cutoff = minutes(-1000).toISOString();
    const before = await countReviewCasesSince(container, cutoff);
    await store.create(reviewCase(tenantA, minutes(-2000)));
    await store.create(reviewCase(tenantB, minutes(-3000)));
    await store.create(reviewCase(tenantB, minutes(-10)));
    // Settled long ago: no longer waiting.
    const settled = reviewCase(tenantA, minutes(-4000));
    await store.create(settled);
    await decideReview(deps, reviewerOf(tenantA), settled.id, { outcome: 'approved' });
    assert.equal(await countReviewCasesSince(container, cutoff), before + 2);

    const metrics: Array<{ name: string; value: number; properties?: Record<string, string> }> = [];
    const telemetry: Telemetry = {
      event: () => {},
      metric: (name, value, properties) => void metrics.push({ name, value, ...(properties ? { properties } : {}) }),
      request: () => {},
      trace: () => {},
    };
    const overdue = await reportOverdueReviews(container, { settings: { reviewSlaMinutes: 1000 }, now: start, telemetry });
    assert.equal(overdue, before + 2);
    assert.deepEqual(metrics, [{ name: METRICS.reviewOverdue, value: before + 2, properties: { slaMinutes: '1000' } }]);
  });
});
