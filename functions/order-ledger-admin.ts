/**
 * Platform admins' money and reference data: ledger reconciliation (on demand and
 * on a timer), trader deposit top-ups and withdrawals, banks / methods / rates.
 * Every call is audited; a reconciliation that finds a mismatch also emits the
 * `vouch.ledger.reconciliation` metric the bicep alert watches (ledger.ts).
 */
import { app, type InvocationContext } from '@azure/functions';
import { z } from 'zod';
import type { Principal } from '../shared/auth';
import { requirePlatformTenant } from '../shared/auth/platform-tenant';
import { badRequest } from '../shared/errors';
import { type ApiCall, httpHandler, ok } from '../shared/http';
import { apiRoute } from '../shared/http/api-route';
import { FUNCTIONS } from '../shared/names';
import { listReferenceData, putReferenceData, REFERENCE_KINDS } from '../shared/orders/reference-admin';
import { moveTraderDeposit, traderDepositBodySchema } from '../shared/orders/trader-deposits';
import { contextLogger } from '../shared/http/context-logger';
import { auditCall } from '../shared/wiring/audit';
import { authenticate } from '../shared/wiring/auth';
import { orderEngine } from '../shared/wiring/orders';
import { documentRoute } from '../shared/openapi/route-doc';
import { view } from './openapi-docs/common';

const admin = { auth: authenticate, accept: ['user' as const], roles: ['admin' as const] };
export const traderParams = z.object({ id: z.string().min(1).max(64) });
export const referenceParams = z.object({ kind: z.enum(REFERENCE_KINDS), code: z.string().min(1).max(40).optional() });

async function platformEngine(call: ApiCall<Principal>) {
  requirePlatformTenant(call.principal);
  return orderEngine(call.log);
}

app.http(FUNCTIONS.adminReconciliation, {
  route: apiRoute('v1/admin/ledger/reconciliation'),
  methods: ['GET'],
  authLevel: 'anonymous',
  handler: httpHandler(admin, async (call) => {
    const engine = await platformEngine(call);
    const report = await engine.reconcile();
    await auditCall(call, 'ledger.reconcile', { targetType: 'ledger', targetId: 'ledger' }, 'success', { detail: report.ok ? 'ok' : 'mismatch' });
    return ok(report);
  }),
});

app.timer(FUNCTIONS.reconcileLedgerTimer, {
  schedule: '%LEDGER_RECONCILE_SCHEDULE%',
  handler: async (_timer: unknown, context: InvocationContext) => {
    const report = await (await orderEngine(contextLogger(context, context.invocationId))).reconcile();
    const mismatched = report.mismatches.length + report.incompleteJournals.length + report.unbalancedJournals.length;
    if (mismatched > 0) context.error(`ledger reconciliation: ${mismatched} mismatches (accounts ${report.mismatches.map((m) => m.accountId).join(', ')})`);
    else context.log(`ledger reconciled: ${report.accounts} accounts, ${report.postings} postings`);
  },
});

app.http(FUNCTIONS.adminTraderDeposit, {
  route: apiRoute('v1/admin/traders/{id}/deposits'),
  methods: ['POST'],
  authLevel: 'anonymous',
  handler: httpHandler(admin, async (call) => {
    const engine = await platformEngine(call);
    const { id } = call.params(traderParams);
    const key = call.request.headers.get('idempotency-key');
    if (!key || key.length > 200) throw badRequest('Idempotency-Key header (1-200 chars) is required', { errors: [{ path: 'Idempotency-Key', message: 'required' }] });
    const result = await moveTraderDeposit(engine.deps, id, key, await call.body(traderDepositBodySchema));
    await auditCall(call, 'trader.deposit', { targetType: 'trader', targetId: id }, 'success', { detail: `${result.direction}${result.replayed ? ':replayed' : ''}` });
    return ok(result);
  }),
});

app.http(FUNCTIONS.adminPutReferenceData, {
  route: apiRoute('v1/admin/reference-data/{kind}/{code}'),
  methods: ['PUT'],
  authLevel: 'anonymous',
  handler: httpHandler(admin, async (call) => {
    const engine = await platformEngine(call);
    const { kind, code } = call.params(referenceParams);
    const doc = await putReferenceData(engine.deps, kind, code ?? '', await call.body(z.unknown()));
    await auditCall(call, 'reference-data.update', { targetType: 'reference-data', targetId: doc.id });
    return ok(doc);
  }),
});

app.http(FUNCTIONS.adminListReferenceData, {
  route: apiRoute('v1/admin/reference-data/{kind}'),
  methods: ['GET'],
  authLevel: 'anonymous',
  handler: httpHandler(admin, async (call) => {
    const engine = await platformEngine(call);
    const { kind } = call.params(referenceParams);
    return ok({ items: await listReferenceData(engine.deps, kind) });
  }),
});

const reconciliation = view({ ok: z.boolean(), accounts: z.number(), postings: z.number(), mismatches: z.array(z.unknown()) }, 'LedgerReconciliation');
const referenceItem = view({ id: z.string() }, 'ReferenceData');
const adminDoc = { tags: ['Admin'], auth: ['bearer' as const] };
const platformOnly = { 403: ['platform-tenant-required'] };
documentRoute({
  ...adminDoc, function: FUNCTIONS.adminReconciliation, method: 'GET', path: '/api/v1/admin/ledger/reconciliation',
  summary: 'Reconcile the ledger now (platform admin); a mismatch also raises the reconciliation metric',
  responses: { 200: { description: 'The reconciliation report', schema: reconciliation } }, problems: platformOnly,
});
documentRoute({
  ...adminDoc, function: FUNCTIONS.adminTraderDeposit, method: 'POST', path: '/api/v1/admin/traders/{id}/deposits',
  summary: "Top up or withdraw a trader's deposit (one balanced journal per Idempotency-Key)",
  params: traderParams, body: { schema: traderDepositBodySchema }, headers: { 'Idempotency-Key': 'Required; a replay answers the same movement' },
  responses: { 200: { description: 'The movement', schema: view({ direction: z.string() }, 'TraderDepositMovement') } },
  problems: { ...platformOnly, 400: ['validation-failed'], 409: ['idempotency-key-reused', 'insufficient-balance'] },
});
documentRoute({
  ...adminDoc, function: FUNCTIONS.adminPutReferenceData, method: 'PUT', path: '/api/v1/admin/reference-data/{kind}/{code}',
  summary: 'Create or replace a bank, payment method or rate (rates as USDT-RUB)',
  params: referenceParams, body: { schema: z.record(z.string(), z.unknown()) },
  responses: { 200: { description: 'The stored item', schema: referenceItem } }, problems: { ...platformOnly, 400: ['validation-failed'] },
});
documentRoute({
  ...adminDoc, function: FUNCTIONS.adminListReferenceData, method: 'GET', path: '/api/v1/admin/reference-data/{kind}',
  summary: 'Banks, payment methods or rates', params: referenceParams,
  responses: { 200: { description: 'The items', schema: z.object({ items: z.array(referenceItem) }).meta({ id: 'ReferenceDataList' }) } }, problems: platformOnly,
});
