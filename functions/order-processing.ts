/**
 * The `orders` queue starts one orchestration per order (instance id = order id);
 * two timers catch what fell through: `new` orders whose message never arrived,
 * and orders past their deadline.
 */
import { app, type InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import { contextLogger } from '../shared/http/context-logger';
import { CONNECTIONS, FUNCTIONS, QUEUES } from '../shared/names';
import { orderOrchestrationInput, orderRefSchema } from '../shared/orders/orchestration-input';
import { findUnpickedOrders } from '../shared/orders/order-queries';
import { startOrderOrchestration } from '../shared/orders/start-orchestration';
import { enqueueOrder, orderEngine, orderSettings } from '../shared/wiring/orders';

/** A `new` order older than this was not picked up. */
const UNPICKED_AFTER_MS = 2 * 60_000;

app.serviceBusQueue(FUNCTIONS.processOrder, {
  queueName: QUEUES.orders,
  connection: CONNECTIONS.serviceBus,
  extraInputs: [df.input.durableClient()],
  handler: async (message: unknown, context: InvocationContext) => {
    const ref = orderRefSchema.parse(message);
    const input = orderOrchestrationInput(await orderSettings(), ref.tenantId, ref.orderId);
    const outcome = await startOrderOrchestration(df.getClient(context), FUNCTIONS.orderLifecycle, input);
    context.log(`order ${ref.orderId}: orchestration ${outcome}`);
  },
});

app.timer(FUNCTIONS.sweepUnpickedOrders, {
  schedule: '%ORDER_SWEEP_SCHEDULE%',
  handler: async (_timer: unknown, context: InvocationContext) => {
    const engine = await orderEngine(contextLogger(context, context.invocationId));
    const now = engine.deps.clock.now();
    const stale = await findUnpickedOrders(engine.deps, new Date(now.getTime() - UNPICKED_AFTER_MS).toISOString());
    // A fresh message id per sweep (the first enqueue's id may still be in the duplicate-detection window).
    for (const o of stale) await enqueueOrder({ tenantId: o.tenantId, orderId: o.id }, `order:${o.id}:sweep:${now.toISOString()}`);
    if (stale.length > 0) context.log(`re-enqueued ${stale.length} unpicked orders`);
  },
});

app.timer(FUNCTIONS.expireDueOrders, {
  schedule: '%ORDER_EXPIRY_SCHEDULE%',
  handler: async (_timer: unknown, context: InvocationContext) => {
    const expired = await (await orderEngine(contextLogger(context, context.invocationId))).expireDueOrders();
    if (expired > 0) context.log(`expired ${expired} orders`);
  },
});
