/** Staff order API (JWT): traders confirm or decline their orders; support opens and resolves disputes. */
import { app, type HttpHandler } from '@azure/functions';
import { apiRoute } from '../shared/http/api-route';
import * as df from 'durable-functions';
import { z } from 'zod';
import type { Principal } from '../shared/auth';
import { type ApiCall, httpHandler, ok } from '../shared/http';
import { FUNCTIONS } from '../shared/names';
import { findOrderTenant, listTraderOrders } from '../shared/orders/order-queries';
import { staffActor } from '../shared/orders/principal-actor';
import { activeTraderActor } from '../shared/orders/staff/active-trader';
import { reviewAction, reviewBodySchema } from '../shared/orders/staff/review-decision';
import type { OrderEngine } from '../shared/orders/engine';
import { orderTenantScope } from '../shared/orders/staff-scope';
import type { Actor, OrderActionBody } from '../shared/orders/schemas';
import { reasonBodySchema, resolveAction, resolveBodySchema } from '../shared/orders/staff-requests';
import { CONFIRMATION_MAX_BODY_BYTES, readConfirmationBody } from '../shared/orders/confirmation-request';
import { confirmWithReceipt } from '../shared/orders/receipt-confirmation';
import { toOrderView } from '../shared/orders/view';
import { traderOrderDetails } from '../shared/orders/trader-order-details';
import { callerIp } from '../shared/audit/caller-ip';
import { authenticate } from '../shared/wiring/auth';
import { announceOrderStatus, orderEngine, receiptBlobs } from '../shared/wiring/orders';

export const idParams = z.object({ id: z.string().min(1).max(64) });
const users = (roles: ('trader' | 'support' | 'admin')[]) => ({ auth: authenticate, accept: ['user' as const], roles });

/** Optional JSON body: an empty one means `{}`. */
async function optionalBody<S extends z.ZodType>(call: ApiCall<Principal>, schema: S): Promise<z.output<S>> {
  return (await call.bytes()).length === 0 ? schema.parse({}) : call.body(schema);
}

/** One status change: find the order's tenant, apply the action as `actor`, tell the merchant and the orchestration. */
function actionHandler(
  options: ReturnType<typeof users>,
  toAction: (call: ApiCall<Principal>, engine: OrderEngine) => Promise<{ actor: Actor; body: OrderActionBody }>,
): HttpHandler {
  return (request, context) =>
    httpHandler(options, async (call) => {
      const { id } = call.params(idParams);
      const engine = await orderEngine(call.log);
      const { actor, body } = await toAction(call, engine);
      // Support and admins of a merchant tenant act on that tenant's orders only (platform staff on any);
      // a trader's reach is his own orders, which the engine's ownership check enforces.
      const scope = actor.role === 'support' || actor.role === 'admin' ? orderTenantScope(call.principal) : undefined;
      const order = await engine.applyOrderAction(actor, scope ?? (await findOrderTenant(engine.deps, id)), id, body);
      await announceOrderStatus(order, df.getClient(context), call.log);
      return ok(toOrderView(order, actor.role === 'trader' ? 'trader' : 'support'));
    })(request, context);
}

const durable = { authLevel: 'anonymous' as const, methods: ['POST' as const], extraInputs: [df.input.durableClient()] };

app.http(FUNCTIONS.listTraderOrders, {
  route: apiRoute('v1/trader/orders'),
  methods: ['GET'],
  authLevel: 'anonymous',
  handler: httpHandler(users(['trader']), async (call) => {
    const engine = await orderEngine(call.log);
    const actor = await activeTraderActor(engine.deps, call.principal);
    const orders = await listTraderOrders(engine.deps, actor.traderId ?? '');
    return ok({ items: orders.map((o) => toOrderView(o, 'trader')) });
  }),
});

// One order with its payment details in full (the payee of a pay-out, the own requisite of a pay-in); audited.
app.http(FUNCTIONS.traderOrderDetails, {
  route: apiRoute('v1/trader/orders/{id}'),
  methods: ['GET'],
  authLevel: 'anonymous',
  handler: httpHandler(users(['trader']), async (call) => {
    const { id } = call.params(idParams);
    const engine = await orderEngine(call.log);
    const actor = await activeTraderActor(engine.deps, call.principal);
    const details = await traderOrderDetails(engine.deps, actor, await findOrderTenant(engine.deps, id), id, callerIp(call.request.headers));
    return ok(details, { 'cache-control': 'no-store' });
  }),
});

// Pay-in: the trader saw the money arrive (→ completed). Pay-out: the trader says he sent it (→ awaiting_confirmation)
// and must attach the receipt (multipart `receipt`: JPEG/PNG/PDF ≤ 10 MB), else 400 `receipt-required`.
app.http(FUNCTIONS.traderConfirmOrder, {
  ...durable,
  route: apiRoute('v1/trader/orders/{id}/confirm'),
  handler: (request, context) =>
    httpHandler({ ...users(['trader']), maxBodyBytes: CONFIRMATION_MAX_BODY_BYTES }, async (call) => {
      const { id } = call.params(idParams);
      const engine = await orderEngine(call.log);
      const order = await confirmWithReceipt(engine.deps, await receiptBlobs(), {
        actor: await activeTraderActor(engine.deps, call.principal),
        tenantId: await findOrderTenant(engine.deps, id),
        orderId: id,
        action: (o) => (o.direction === 'payout' ? 'confirm_payment' : 'confirm'),
        receiptRequired: (o) => o.direction === 'payout',
        read: (o) => readConfirmationBody(call, o, receiptBlobs),
      });
      await announceOrderStatus(order, df.getClient(context), call.log);
      return ok(toOrderView(order, 'trader'));
    })(request, context),
});

app.http(FUNCTIONS.traderCancelOrder, {
  ...durable,
  route: apiRoute('v1/trader/orders/{id}/cancel'),
  handler: actionHandler(users(['trader']), async (call, engine) => ({
    actor: await activeTraderActor(engine.deps, call.principal),
    body: { action: 'cancel', ...(await optionalBody(call, reasonBodySchema)) },
  })),
});

app.http(FUNCTIONS.disputeOrder, {
  ...durable,
  route: apiRoute('v1/support/orders/{id}/dispute'),
  handler: actionHandler(users(['support', 'admin']), async (call) => ({
    actor: staffActor(call.principal),
    body: { action: 'dispute', ...(await optionalBody(call, reasonBodySchema)) },
  })),
});

// Merchant staff may open a dispute on their own tenant's orders; only platform staff resolve it (transitions.ts).
app.http(FUNCTIONS.resolveOrder, {
  ...durable,
  route: apiRoute('v1/support/orders/{id}/resolve'),
  handler: actionHandler(users(['support', 'admin']), async (call) => ({
    actor: staffActor(call.principal),
    body: resolveAction(await call.body(resolveBodySchema)),
  })),
});

// Fraud REVIEW: platform support or admin approves (assignment continues) or rejects (the order fails and a
// pay-out's hold is released), with a reason; the change is audited like every person's status change.
app.http(FUNCTIONS.reviewOrder, {
  ...durable,
  route: apiRoute('v1/support/orders/{id}/review'),
  handler: actionHandler(users(['support', 'admin']), async (call) => ({
    actor: staffActor(call.principal),
    body: reviewAction(await call.body(reviewBodySchema)),
  })),
});
