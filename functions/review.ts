/**
 * The review desk: people with the `reviewer` role (their tenant's cases) and platform staff (every
 * tenant's) list the `review` queue, read a case's evidence and settle it. Rules in shared/kyc/review/.
 */
import { app, type InvocationContext } from '@azure/functions';
import { apiRoute } from '../shared/http/api-route';
import { z } from 'zod';
import { httpHandler, ok } from '../shared/http';
import { contextLogger } from '../shared/http/context-logger';
import { decideReview } from '../shared/kyc/review/decide-review';
import { findReviewCase } from '../shared/kyc/review/find-review-case';
import { reviewDecisionBodySchema, reviewViewSchema } from '../shared/kyc/review/review-decision';
import { reviewEvidenceView } from '../shared/kyc/review/review-evidence';
import { listReviewQueue, reviewQueueQuerySchema } from '../shared/kyc/review/review-queue';
import { reviewScope } from '../shared/kyc/review/review-scope';
import { redriveReviewAnnouncements, reportOverdueReviews } from '../shared/kyc/review/review-sweeps';
import { reasonCodeSchema } from '../shared/kyc/reasons';
import { toApiView, verificationViewSchema } from '../shared/kyc/verification';
import { FUNCTIONS } from '../shared/names';
import { documentRoute } from '../shared/openapi/route-doc';
import { page, view } from './openapi-docs/common';
import { METRICS } from '../shared/platform/metric-names';
import { telemetry } from '../shared/platform/telemetry';
import { auditCall } from '../shared/wiring/audit';
import { authenticate } from '../shared/wiring/auth';
import { appClock, kycSettings } from '../shared/wiring/kyc';
import { reviewDecisionDeps, reviewMediaLinks, verificationsContainer } from '../shared/wiring/review';

const idParams = z.object({ id: z.string().min(1).max(64) });
/** Platform staff may name the case's tenant (a point read instead of a lookup across tenants). */
const tenantQuery = z.object({ tenantId: z.string().min(1).max(64).optional() });
// Evidence carries media links: never cached on the way.
const NO_STORE = { 'cache-control': 'no-store' };

app.http(FUNCTIONS.listReviewCases, {
  route: apiRoute('v1/review/verifications'),
  methods: ['GET'],
  authLevel: 'anonymous',
  handler: httpHandler({ auth: authenticate, accept: ['user'] }, async (call) => {
    const { tenantId, reason, olderThanMinutes, limit, continuation } = call.query(reviewQueueQuerySchema);
    const scope = reviewScope(call.principal, tenantId);
    const settings = await kycSettings();
    const page = await listReviewQueue(
      await verificationsContainer(),
      { tenantId: scope.tenantId, reason, olderThanMinutes },
      { limit, continuation },
      { now: () => appClock.now(), slaMinutes: settings.reviewSlaMinutes },
    );
    return ok(page);
  }),
});

app.http(FUNCTIONS.getReviewCase, {
  route: apiRoute('v1/review/verifications/{id}'),
  methods: ['GET'],
  authLevel: 'anonymous',
  handler: httpHandler({ auth: authenticate, accept: ['user'] }, async (call) => {
    const { id } = call.params(idParams);
    const scope = reviewScope(call.principal, call.query(tenantQuery).tenantId);
    const [deps, settings, links] = await Promise.all([reviewDecisionDeps(), kycSettings(), reviewMediaLinks()]);
    const record = await findReviewCase(deps, scope.tenantId, id);
    const view = await reviewEvidenceView(record, {
      links,
      now: appClock.now(),
      linkMinutes: settings.reviewLinkMinutes,
      slaMinutes: settings.reviewSlaMinutes,
    });
    // In the case's tenant's trail: its admins see who looked at their customer's media.
    await auditCall(call, 'review.read', { targetType: 'verification', targetId: id }, 'success', { tenantId: record.tenantId });
    return ok(view, NO_STORE);
  }),
});

app.http(FUNCTIONS.decideReviewCase, {
  route: apiRoute('v1/review/verifications/{id}/decision'),
  methods: ['POST'],
  authLevel: 'anonymous',
  handler: httpHandler({ auth: authenticate, accept: ['user'] }, async (call) => {
    const { id } = call.params(idParams);
    const scope = reviewScope(call.principal, call.query(tenantQuery).tenantId);
    const body = await call.body(reviewDecisionBodySchema);
    const record = await decideReview(await reviewDecisionDeps(), scope, id, body);
    const outcome = record.review?.outcome ?? record.status;
    await auditCall(call, 'review.decide', { targetType: 'verification', targetId: id }, 'success', { tenantId: record.tenantId, detail: outcome });
    telemetry(call.log).metric(METRICS.kycDecisions, 1, { outcome, reason: record.decision?.reasons[0] ?? 'none', reviewed: 'true' });
    return ok({ ...toApiView(record), tenantId: record.tenantId });
  }),
});

// The SLA alert's input: how many cases wait past `kyc.reviewSlaMinutes`, every run (zero included).
app.timer(FUNCTIONS.reportOverdueReviews, {
  schedule: '%REVIEW_SWEEP_SCHEDULE%',
  handler: async (_timer: unknown, context: InvocationContext) => {
    const log = contextLogger(context, context.invocationId);
    const overdue = await reportOverdueReviews(await verificationsContainer(), {
      settings: await kycSettings(),
      now: appClock.now(),
      telemetry: telemetry(log),
    });
    context.log(`review desk: ${overdue} case(s) past the review SLA`);
  },
});

// Announces decisions whose request died between the status write and the announcement.
app.timer(FUNCTIONS.redriveReviewAnnouncements, {
  schedule: '%REVIEW_SWEEP_SCHEDULE%',
  handler: async (_timer: unknown, context: InvocationContext) => {
    const announced = await redriveReviewAnnouncements(await verificationsContainer(), await reviewDecisionDeps());
    if (announced > 0) context.log(`review desk: re-announced ${announced} decision(s)`);
  },
});

const tags = ['Review desk'];
const reviewCase = view(
  { id: z.string(), tenantId: z.string(), reasons: z.array(reasonCodeSchema), createdAt: z.string(), inReviewSince: z.string(), waitingMinutes: z.number(), overdue: z.boolean() },
  'ReviewCaseSummary',
  { id: '0b8f8a7e-3c0e-4d7e-9a55-0e2f1b3c4d5e', tenantId: 'demo-a', reasons: ['FACE_MATCH_BORDERLINE'], createdAt: '2026-03-01T12:00:00.000Z', inReviewSince: '2026-03-01T12:00:09.000Z', waitingMinutes: 42, overdue: false, selfieKind: 'video', faceMatchScore: 0.5, livenessScore: 0.8 },
);
const evidence = view(
  { id: z.string(), tenantId: z.string(), status: z.string(), decision: z.object({ outcome: z.string(), reasons: z.array(z.string()) }).loose(), frames: z.array(z.unknown()), media: z.object({ expiresAt: z.string() }).loose().nullable(), review: reviewViewSchema.optional() },
  'ReviewCase',
);
const reviewerProblems = { 404: ['not-found'] };
documentRoute({
  function: FUNCTIONS.listReviewCases, method: 'GET', path: '/api/v1/review/verifications', tags, auth: ['bearer'], query: reviewQueueQuerySchema,
  summary: 'Open review cases, longest wait first (reviewers: own tenant; platform staff: every tenant)',
  responses: { 200: { description: 'A page of cases', schema: page(reviewCase, 'ReviewCasePage') } },
});
documentRoute({
  function: FUNCTIONS.getReviewCase, method: 'GET', path: '/api/v1/review/verifications/{id}', tags, auth: ['bearer'], params: idParams, query: tenantQuery,
  summary: "A case's evidence: decision, findings, frames and short-lived media links (audited)",
  responses: { 200: { description: 'The case', schema: evidence } }, problems: reviewerProblems,
});
documentRoute({
  function: FUNCTIONS.decideReviewCase, method: 'POST', path: '/api/v1/review/verifications/{id}/decision', tags, auth: ['bearer'], params: idParams, query: tenantQuery,
  summary: 'Settle a case: approved or declined, with a note (audited; the webhook follows)',
  body: { schema: reviewDecisionBodySchema, example: { outcome: 'approved', note: 'Same person; the document photo is old' } },
  responses: { 200: { description: 'The verification with its review', schema: verificationViewSchema.extend({ tenantId: z.string() }) } },
  problems: { ...reviewerProblems, 409: ['review-already-decided'] },
});
