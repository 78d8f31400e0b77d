/**
 * What the order orchestration and the HTTP functions tell each other and the
 * merchant: the external event an orchestration waits for, the snapshot its
 * activities return, and the `order.status_changed` webhook.
 */
import { z } from 'zod';
import { buildWebhook, type WebhookEvent } from '../webhooks';
import type { OrderDoc } from './documents';
import { FINAL_STATUSES, ORDER_STATUSES, type OrderStatus } from './transitions';
import { toOrderView } from './view';

/** External events raised on an order's orchestration (instance id = order id). */
export const ORDER_EVENTS = {
  /** Someone changed the order's status (confirm, cancel, dispute, review); the payload is an `OrderSnapshot`. */
  statusChanged: 'OrderStatusChanged',
} as const;

export const ORDER_WEBHOOK_TYPE = 'order.status_changed';

/** The part of an order an orchestrator decides on (activity results must be plain JSON). */
export const orderSnapshotSchema = z.object({
  status: z.enum(ORDER_STATUSES),
  expiresAt: z.string(),
  failureReason: z.string().optional(),
});
export type OrderSnapshot = z.infer<typeof orderSnapshotSchema>;

export const snapshotOf = (order: OrderDoc): OrderSnapshot => ({
  status: order.status,
  expiresAt: order.expiresAt,
  ...(order.failureReason ? { failureReason: order.failureReason } : {}),
});

/** Statuses after which the orchestration has nothing left to wait for. */
export const isSettled = (status: OrderStatus): boolean => FINAL_STATUSES.includes(status);

/**
 * The merchant's webhook for the order's current status. Its id is
 * `${orderId}:order.status_changed:${status}`, so the orchestration and an HTTP
 * function reporting the same change enqueue one event (the broker drops the duplicate).
 */
export function orderStatusWebhook(order: OrderDoc): WebhookEvent {
  return buildWebhook({
    subjectId: order.id,
    type: ORDER_WEBHOOK_TYPE,
    status: order.status,
    createdAt: new Date(order.updatedAt),
    data: { ...toOrderView(order, 'merchant') },
  });
}
