/** Merchant order API (API key): pay-ins and pay-outs. Idempotency-Key is required on create. */
import { app, type HttpRequest, type InvocationContext } from '@azure/functions';
import { apiRoute } from '../shared/http/api-route';
import * as df from 'durable-functions';
import { z } from 'zod';
import { created, httpHandler, ok } from '../shared/http';
import { FUNCTIONS } from '../shared/names';
import { orderIdFromIdempotencyKey } from '../shared/orders/idempotency-order-id';
import { merchantActor } from '../shared/orders/principal-actor';
import type { OrderDirection } from '../shared/orders/schemas';
import { CONFIRMATION_MAX_BODY_BYTES, readConfirmationBody } from '../shared/orders/confirmation-request';
import { confirmWithReceipt } from '../shared/orders/receipt-confirmation';
import { toOrderView } from '../shared/orders/view';
import { notFound } from '../shared/errors';
import { requireOrderInStore } from '../shared/orders/merchant/store-scope';
import { authenticate, rateLimiter } from '../shared/wiring/auth';
import { payerLink } from '../shared/wiring/payer';
import { announceOrderStatus, enqueueOrder, orderEngine, receiptBlobs } from '../shared/wiring/orders';

export const idParams = z.object({ id: z.string().min(1).max(64) });
const merchantOnly = { auth: authenticate, accept: ['apiKey' as const], rateLimit: { limiter: rateLimiter } };
const PATHS: Record<OrderDirection, string> = { payin: 'v1/payins', payout: 'v1/payouts' };

function createHandler(direction: OrderDirection) {
  return httpHandler(merchantOnly, async (call) => {
    const tenantId = call.principal.tenantId;
    const orderId = orderIdFromIdempotencyKey(tenantId, call.request.headers.get('idempotency-key'));
    const engine = await orderEngine(call.log);
    // A pay-in's payer link is derived from the order id: a replayed create hands out the same link.
    const link = direction === 'payin' ? payerLink(tenantId, orderId) : undefined;
    const order = await engine.createOrder({
      tenantId,
      direction,
      body: await call.body(z.unknown()),
      orderId,
      actor: merchantActor(call.principal),
      ...(call.principal.kind === 'apiKey' && call.principal.storeId !== undefined ? { storeId: call.principal.storeId } : {}),
      ...(link ? { payerTokenHash: link.hash } : {}),
    });
    // Same message id every time: a replayed request does not enqueue a second message.
    if (order.status === 'new') await enqueueOrder({ tenantId, orderId: order.id });
    const payer = link && order.payerTokenHash === link.hash ? { payerToken: link.token, payerUrl: `${new URL(call.request.url).origin}/api/v1/pay/${link.token}` } : {};
    return created(`/api/${PATHS[direction]}/${order.id}`, { ...toOrderView(order, 'merchant'), ...payer }, { 'cache-control': 'no-store' });
  });
}

function getHandler(direction: OrderDirection) {
  return httpHandler(merchantOnly, async (call) => {
    const { id } = call.params(idParams);
    const order = await (await orderEngine(call.log)).getOrder(call.principal.tenantId, id);
    if (order.direction !== direction) throw notFound('Order');
    requireOrderInStore(call.principal, order);
    return ok(toOrderView(order, 'merchant'));
  });
}

app.http(FUNCTIONS.createPayin, { route: apiRoute(PATHS.payin), methods: ['POST'], authLevel: 'anonymous', handler: createHandler('payin') });
app.http(FUNCTIONS.getPayin, { route: apiRoute(`${PATHS.payin}/{id}`), methods: ['GET'], authLevel: 'anonymous', handler: getHandler('payin') });
app.http(FUNCTIONS.createPayout, { route: apiRoute(PATHS.payout), methods: ['POST'], authLevel: 'anonymous', handler: createHandler('payout') });
app.http(FUNCTIONS.getPayout, { route: apiRoute(`${PATHS.payout}/{id}`), methods: ['GET'], authLevel: 'anonymous', handler: getHandler('payout') });

/**
 * Merchant confirmations. Pay-in: the payer says the money was sent (`assigned` → `awaiting_confirmation`;
 * the trader then confirms). Pay-out: the merchant confirms the trader's transfer arrived (→ `completed`).
 * Either may carry a receipt (multipart `receipt`: JPEG/PNG/PDF ≤ 10 MB), stored in Blob `receipts`.
 */
function confirmHandler(direction: OrderDirection) {
  return (request: HttpRequest, context: InvocationContext) =>
    httpHandler({ ...merchantOnly, maxBodyBytes: CONFIRMATION_MAX_BODY_BYTES }, async (call) => {
      const { id } = call.params(idParams);
      const engine = await orderEngine(call.log);
      const order = await confirmWithReceipt(engine.deps, await receiptBlobs(), {
        actor: merchantActor(call.principal),
        tenantId: call.principal.tenantId,
        orderId: id,
        action: (o) => {
          if (o.direction !== direction) throw notFound('Order');
          requireOrderInStore(call.principal, o);
          return direction === 'payin' ? 'confirm_payment' : 'confirm';
        },
        receiptRequired: () => false,
        read: (o) => readConfirmationBody(call, o, receiptBlobs),
      });
      await announceOrderStatus(order, df.getClient(context), call.log);
      return ok(toOrderView(order, 'merchant'));
    })(request, context);
}

const confirmRoute = { methods: ['POST' as const], authLevel: 'anonymous' as const, extraInputs: [df.input.durableClient()] };
app.http(FUNCTIONS.confirmPayin, { ...confirmRoute, route: apiRoute(`${PATHS.payin}/{id}/confirm`), handler: confirmHandler('payin') });
app.http(FUNCTIONS.confirmPayout, { ...confirmRoute, route: apiRoute(`${PATHS.payout}/{id}/confirm`), handler: confirmHandler('payout') });
