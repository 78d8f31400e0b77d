/**
 * The payer gateway (public, the pay-in's link token only): start paying and see the full
 * requisite, poll the status, say "I have paid" with an optional receipt. Rate-limited per
 * link and per source before the token is looked up.
 */
import { app, type HttpRequest, type InvocationContext } from '@azure/functions';
import { apiRoute } from '../shared/http/api-route';
import * as df from 'durable-functions';
import { z } from 'zod';
import { callerIp } from '../shared/audit/caller-ip';
import { type ApiCall, httpHandler, ok, json } from '../shared/http';
import { FUNCTIONS } from '../shared/names';
import { CONFIRMATION_MAX_BODY_BYTES, readConfirmationBody } from '../shared/orders/confirmation-request';
import { initPayment, openPayerOrder, payerActor, payerView } from '../shared/orders/payer/payer-gateway';
import { admitPayerRequest } from '../shared/orders/payer/payer-rate-limit';
import { confirmWithReceipt } from '../shared/orders/receipt-confirmation';
import { announceOrderStatus, orderEngine, receiptBlobs } from '../shared/wiring/orders';
import { payerLimiters } from '../shared/wiring/payer';

export const tokenParams = z.object({ token: z.string().min(1).max(400) });
/** The payer's page and our own pages must not cache what the gateway answers. */
const NO_STORE = { 'cache-control': 'no-store' };

/** The link token of the request, once both rate limits admit it. */
async function admittedToken(call: ApiCall<null>): Promise<string> {
  const { token } = call.params(tokenParams);
  await admitPayerRequest(payerLimiters(), token, callerIp(call.request.headers));
  return token;
}

app.http(FUNCTIONS.payerInit, {
  route: apiRoute('v1/pay/{token}/init'),
  methods: ['POST'],
  authLevel: 'anonymous',
  handler: httpHandler({ auth: 'anonymous' }, async (call) => {
    const token = await admittedToken(call);
    const view = await initPayment((await orderEngine(call.log)).deps, token, callerIp(call.request.headers));
    // Still being assigned (or under fraud review): 202, poll GET, then init again.
    const waiting = ['new', 'retrying', 'review'].includes(view.status);
    return waiting ? json(202, view, { ...NO_STORE, 'retry-after': '5' }) : ok(view, NO_STORE);
  }),
});

app.http(FUNCTIONS.payerStatus, {
  route: apiRoute('v1/pay/{token}'),
  methods: ['GET'],
  authLevel: 'anonymous',
  handler: httpHandler({ auth: 'anonymous' }, async (call) => {
    const token = await admittedToken(call);
    const engine = await orderEngine(call.log);
    return ok(payerView(await openPayerOrder(engine.deps, token, 'read'), engine.deps.settings.ORDER_TIMEOUT_MINUTES), NO_STORE);
  }),
});

// The payer says the money was sent (`assigned` → `awaiting_confirmation`); the trader then confirms.
// Same receipt rules as every confirmation: optional multipart `receipt` (JPEG/PNG/PDF ≤ 10 MB).
app.http(FUNCTIONS.payerConfirm, {
  route: apiRoute('v1/pay/{token}/confirm'),
  methods: ['POST'],
  authLevel: 'anonymous',
  extraInputs: [df.input.durableClient()],
  handler: (request: HttpRequest, context: InvocationContext) =>
    httpHandler({ auth: 'anonymous', maxBodyBytes: CONFIRMATION_MAX_BODY_BYTES }, async (call) => {
      const token = await admittedToken(call);
      const engine = await orderEngine(call.log);
      const order = await openPayerOrder(engine.deps, token, 'act');
      const confirmed = await confirmWithReceipt(engine.deps, await receiptBlobs(), {
        actor: payerActor(order),
        tenantId: order.tenantId,
        orderId: order.id,
        action: () => 'confirm_payment',
        receiptRequired: () => false,
        read: (o) => readConfirmationBody(call, o, receiptBlobs),
      });
      await announceOrderStatus(confirmed, df.getClient(context), call.log);
      return ok(payerView(confirmed, engine.deps.settings.ORDER_TIMEOUT_MINUTES), NO_STORE);
    })(request, context),
});
