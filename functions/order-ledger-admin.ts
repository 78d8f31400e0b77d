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
import { FUNCTIONS } from '../shared/names';
import { listReferenceData, putReferenceData, REFERENCE_KINDS } from '../shared/orders/reference-admin';
import { moveTraderDeposit, traderDepositBodySchema } from '../shared/orders/trader-deposits';
import { contextLogger } from '../shared/http/context-logger';
import { auditCall } from '../shared/wiring/audit';
import { authenticate } from '../shared/wiring/auth';
import { orderEngine } from '../shared/wiring/orders';

const admin = { auth: authenticate, accept: ['user' as const], roles: ['admin' as const] };
const traderParams = z.object({ id: z.string().min(1).max(64) });
const referenceParams = z.object({ kind: z.enum(REFERENCE_KINDS), code: z.string().min(1).max(40).optional() });

async function platformEngine(call: ApiCall<Principal>) {
  requirePlatformTenant(call.principal);
  return orderEngine(call.log);
}

app.http(FUNCTIONS.adminReconciliation, {
  route: 'v1/admin/ledger/reconciliation',
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
  route: 'v1/admin/traders/{id}/deposits',
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
  route: 'v1/admin/reference-data/{kind}/{code}',
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
  route: 'v1/admin/reference-data/{kind}',
  methods: ['GET'],
  authLevel: 'anonymous',
  handler: httpHandler(admin, async (call) => {
    const engine = await platformEngine(call);
    const { kind } = call.params(referenceParams);
    return ok({ items: await listReferenceData(engine.deps, kind) });
  }),
});
