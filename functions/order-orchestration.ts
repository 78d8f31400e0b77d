/**
 * One orchestration per order (instance id = order id): assign with durable
 * retries, then wait for people's status changes racing the payment deadline.
 * Deterministic: settings arrive as input, time comes from currentUtcDateTime,
 * every read and write happens in an activity.
 */
import * as df from 'durable-functions';
import type { ActivityHandler, OrchestrationContext, OrchestrationHandler, RetryOptions, Task } from 'durable-functions';
import { FUNCTIONS } from '../shared/names';
import { assignAttempt, assignmentFailureReason } from '../shared/orders/assign-attempt';
import { failOrder } from '../shared/orders/fail-order';
import { isSettled, ORDER_EVENTS, orderSnapshotSchema, orderStatusWebhook, snapshotOf, type OrderSnapshot } from '../shared/orders/order-events';
import { orderOrchestrationInputSchema, orderRefSchema, type OrderRef } from '../shared/orders/orchestration-input';
import type { OrderStatus } from '../shared/orders/transitions';
import { z } from 'zod';
import { orderEngine } from '../shared/wiring/orders';
import { sendWebhook } from '../shared/wiring/webhooks';

const failInputSchema = orderRefSchema.extend({ reason: z.string().min(1) });

/** Assigns with the configured retries; once they are spent the order fails with the last attempt's reason. */
function* assign(context: OrchestrationContext, ref: OrderRef, retry: RetryOptions): Generator<Task, OrderSnapshot, unknown> {
  let reason: string;
  try {
    return orderSnapshotSchema.parse(yield context.df.callActivityWithRetry(FUNCTIONS.orderAssignActivity, retry, ref));
  } catch (error) {
    reason = assignmentFailureReason(error);
  }
  return orderSnapshotSchema.parse(yield context.df.callActivity(FUNCTIONS.orderFailActivity, { ...ref, reason }));
}

const orderLifecycle: OrchestrationHandler = function* (context: OrchestrationContext) {
  const input = orderOrchestrationInputSchema.parse(context.df.getInput());
  const ref: OrderRef = { tenantId: input.tenantId, orderId: input.orderId };
  const retry = new df.RetryOptions(input.retry.firstRetryIntervalMs, input.retry.maxNumberOfAttempts);
  retry.backoffCoefficient = input.retry.backoffCoefficient;

  let order = yield* assign(context, ref, retry);
  let notified: OrderStatus | undefined;
  // One waiter at a time: an abandoned waiter would swallow the next event of the same name.
  let statusEvent: Task | undefined;
  for (;;) {
    if (order.status !== notified) {
      yield context.df.callActivity(FUNCTIONS.orderNotifyActivity, ref);
      notified = order.status;
    }
    if (isSettled(order.status)) return order.status;
    if (order.status === 'new' || order.status === 'retrying') {
      order = yield* assign(context, ref, retry); // e.g. a review was approved
      continue;
    }
    statusEvent ??= context.df.waitForExternalEvent(ORDER_EVENTS.statusChanged);
    if (order.status === 'assigned') {
      const parsed = Date.parse(order.expiresAt);
      const deadline = Number.isNaN(parsed) ? new Date(context.df.currentUtcDateTime.getTime() + input.timeoutMinutes * 60_000) : new Date(parsed);
      const timer = context.df.createTimer(deadline);
      const winner: unknown = yield context.df.Task.any([statusEvent, timer]);
      if (winner === timer) {
        order = orderSnapshotSchema.parse(yield context.df.callActivity(FUNCTIONS.orderExpireActivity, ref));
        continue;
      }
      timer.cancel();
    } else {
      yield statusEvent; // review, awaiting_confirmation, disputed: no deadline, people decide
    }
    statusEvent = undefined;
    // The event only says "something changed"; the order document is the truth (and finalize is idempotent).
    order = orderSnapshotSchema.parse(yield context.df.callActivity(FUNCTIONS.orderSyncActivity, ref));
  }
};

df.app.orchestration(FUNCTIONS.orderLifecycle, orderLifecycle);

const activity = (fn: (ref: OrderRef, input: unknown) => Promise<unknown>): ActivityHandler => (input: unknown) => fn(orderRefSchema.parse(input), input);

df.app.activity(FUNCTIONS.orderAssignActivity, {
  handler: activity(async (ref) => assignAttempt((await orderEngine()).deps, ref.tenantId, ref.orderId)),
});

df.app.activity(FUNCTIONS.orderFailActivity, {
  handler: activity(async (ref, input) => snapshotOf(await failOrder((await orderEngine()).deps, ref.tenantId, ref.orderId, failInputSchema.parse(input).reason))),
});

df.app.activity(FUNCTIONS.orderExpireActivity, {
  handler: activity(async (ref) => snapshotOf(await (await orderEngine()).expireOrder(ref.tenantId, ref.orderId))),
});

df.app.activity(FUNCTIONS.orderSyncActivity, {
  handler: activity(async (ref) => snapshotOf(await (await orderEngine()).finalizeOrder(ref.tenantId, ref.orderId))),
});

/** Webhook for the order's current status; its deterministic id makes a repeat a no-op. */
df.app.activity(FUNCTIONS.orderNotifyActivity, {
  handler: activity(async (ref) => {
    const order = await (await orderEngine()).getOrder(ref.tenantId, ref.orderId);
    await sendWebhook({ tenantId: order.tenantId, event: orderStatusWebhook(order), callbackUrl: order.callbackUrl });
    return order.status;
  }),
});
