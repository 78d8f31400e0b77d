/** Traders' own requisites (JWT role trader): list, create, pause/resume and change limits. */
import { app } from '@azure/functions';
import { apiRoute } from '../shared/http/api-route';
import { z } from 'zod';
import { created, httpHandler, ok } from '../shared/http';
import { FUNCTIONS } from '../shared/names';
import { pageQuerySchema } from '../shared/orders/paging';
import { createRequisite, listRequisites, newRequisiteId, updateRequisite } from '../shared/orders/requisite-admin';
import { createRequisiteBodySchema, toRequisiteView, traderRequisitePatchSchema } from '../shared/orders/requisite-schemas';
import { subjectOf } from '../shared/orders/staff-scope';
import { authenticate } from '../shared/wiring/auth';
import { orderEngine } from '../shared/wiring/orders';
import { requireActiveTrader } from '../shared/orders/staff/active-trader';
import type { OrderDeps } from '../shared/orders/deps';
import type { RequisiteDoc } from '../shared/orders/documents';
import { openRequisiteNumber } from '../shared/orders/payment-details/requisite-number';

const ROUTE = 'v1/trader/requisites';
export const requisiteIdParams = z.object({ id: z.string().min(1).max(80) });
/** The owner sees his full numbers: opened here, in the one view that needs them. */
const ownerView = (deps: OrderDeps, doc: RequisiteDoc, now: Date) => toRequisiteView(doc, 'owner', now, openRequisiteNumber(deps.keys, doc.id, doc));

const trader = { auth: authenticate, accept: ['user' as const], roles: ['trader' as const] };

app.http(FUNCTIONS.listOwnRequisites, {
  route: apiRoute(ROUTE),
  methods: ['GET'],
  authLevel: 'anonymous',
  handler: httpHandler(trader, async (call) => {
    const page = call.query(pageQuerySchema);
    const engine = await orderEngine(call.log);
    await requireActiveTrader(engine.deps, subjectOf(call.principal));
    const result = await listRequisites(engine.deps, { traderId: subjectOf(call.principal) }, page);
    const now = engine.deps.clock.now();
    return ok({ items: result.items.map((r) => ownerView(engine.deps, r, now)), ...(result.continuation ? { continuation: result.continuation } : {}) });
  }),
});

// An optional Idempotency-Key makes a retried create return the requisite it already made.
app.http(FUNCTIONS.createOwnRequisite, {
  route: apiRoute(ROUTE),
  methods: ['POST'],
  authLevel: 'anonymous',
  handler: httpHandler(trader, async (call) => {
    const body = await call.body(createRequisiteBodySchema);
    const traderId = subjectOf(call.principal);
    const engine = await orderEngine(call.log);
    await requireActiveTrader(engine.deps, traderId);
    const { doc, created: isNew } = await createRequisite(engine.deps, traderId, newRequisiteId(traderId, call.request.headers.get('idempotency-key')), body);
    const view = ownerView(engine.deps, doc, engine.deps.clock.now());
    return isNew ? created(`/api/${ROUTE}/${doc.id}`, view) : ok(view);
  }),
});

app.http(FUNCTIONS.updateOwnRequisite, {
  route: apiRoute(`${ROUTE}/{id}`),
  methods: ['PATCH'],
  authLevel: 'anonymous',
  handler: httpHandler(trader, async (call) => {
    const { id } = call.params(requisiteIdParams);
    const patch = await call.body(traderRequisitePatchSchema);
    const engine = await orderEngine(call.log);
    await requireActiveTrader(engine.deps, subjectOf(call.principal));
    const doc = await updateRequisite(engine.deps, id, patch, { kind: 'owner', traderId: subjectOf(call.principal) });
    return ok(ownerView(engine.deps, doc, engine.deps.clock.now()));
  }),
});
