/**
 * Merchant self-service on orders (API key): list them, cancel a pay-in before it is paid, open
 * a dispute with a reason and evidence. A store's key reaches its store's orders only.
 * Resolving a dispute stays with platform staff (transitions.ts).
 */
import { app, type HttpRequest, type InvocationContext } from '@azure/functions';
import { apiRoute } from '../shared/http/api-route';
import * as df from 'durable-functions';
import { z } from 'zod';
import { httpHandler, ok } from '../shared/http';
import { FUNCTIONS } from '../shared/names';
import { CONFIRMATION_MAX_BODY_BYTES, readConfirmationBody } from '../shared/orders/confirmation-request';
import { merchantOrderQuerySchema, requireDisputeReason } from '../shared/orders/merchant/merchant-requests';
import { requireOrderInStore, storeScope } from '../shared/orders/merchant/store-scope';
import { listOrdersPage } from '../shared/orders/order-queries';
import { merchantActor } from '../shared/orders/principal-actor';
import { confirmWithReceipt } from '../shared/orders/receipt-confirmation';
import { reasonBodySchema } from '../shared/orders/staff-requests';
import { toOrderView } from '../shared/orders/view';
import { notFound } from '../shared/errors';
import { authenticate, rateLimiter } from '../shared/wiring/auth';
import { announceOrderStatus, orderEngine, receiptBlobs } from '../shared/wiring/orders';

export const idParams = z.object({ id: z.string().min(1).max(64) });
const merchantOnly = { auth: authenticate, accept: ['apiKey' as const], rateLimit: { limiter: rateLimiter } };
const durable = { authLevel: 'anonymous' as const, methods: ['POST' as const], extraInputs: [df.input.durableClient()] };

app.http(FUNCTIONS.merchantListOrders, {
  route: apiRoute('v1/orders'),
  methods: ['GET'],
  authLevel: 'anonymous',
  handler: httpHandler(merchantOnly, async (call) => {
    const q = call.query(merchantOrderQuerySchema);
    const engine = await orderEngine(call.log);
    const filter = { tenantId: call.principal.tenantId, storeId: storeScope(call.principal, q.storeId), status: q.status, direction: q.direction, customerRef: q.customerRef, createdFrom: q.from, createdTo: q.to };
    const page = await listOrdersPage(engine.deps, filter, { limit: q.limit, continuation: q.continuation });
    return ok({ items: page.items.map((o) => toOrderView(o, 'merchant')), ...(page.continuation ? { continuation: page.continuation } : {}) });
  }),
});

// Before the payer has said he paid: new, retrying, review or assigned → cancelled (a reservation is released).
app.http(FUNCTIONS.merchantCancelPayin, {
  ...durable,
  route: apiRoute('v1/payins/{id}/cancel'),
  handler: (request: HttpRequest, context: InvocationContext) =>
    httpHandler(merchantOnly, async (call) => {
      const { id } = call.params(idParams);
      const engine = await orderEngine(call.log);
      const current = await engine.getOrder(call.principal.tenantId, id);
      if (current.direction !== 'payin') throw notFound('Order');
      requireOrderInStore(call.principal, current);
      const { reason } = (await call.bytes()).length === 0 ? {} : await call.body(reasonBodySchema);
      const order = await engine.applyOrderAction(merchantActor(call.principal), call.principal.tenantId, id, { action: 'cancel', ...(reason ? { reason } : {}) });
      await announceOrderStatus(order, df.getClient(context), call.log);
      return ok(toOrderView(order, 'merchant'));
    })(request, context),
});

// JSON `{ reason }` or multipart: `reason` and an `evidence` file (JPEG/PNG/PDF ≤ 10 MB, stored like receipts).
app.http(FUNCTIONS.merchantDisputeOrder, {
  ...durable,
  route: apiRoute('v1/orders/{id}/dispute'),
  handler: (request: HttpRequest, context: InvocationContext) =>
    httpHandler({ ...merchantOnly, maxBodyBytes: CONFIRMATION_MAX_BODY_BYTES }, async (call) => {
      const { id } = call.params(idParams);
      const engine = await orderEngine(call.log);
      const blobs = await receiptBlobs();
      const order = await confirmWithReceipt(engine.deps, blobs, {
        actor: merchantActor(call.principal),
        tenantId: call.principal.tenantId,
        orderId: id,
        action: (o) => {
          requireOrderInStore(call.principal, o);
          return 'dispute';
        },
        receiptRequired: () => false,
        read: async (o) => requireDisputeReason(await readConfirmationBody(call, o, receiptBlobs, 'evidence'), blobs),
      });
      await announceOrderStatus(order, df.getClient(context), call.log);
      return ok(toOrderView(order, 'merchant'));
    })(request, context),
});
