/**
 * One assignment attempt as a durable activity sees it: an order still waiting
 * for a requisite is an error, so `callActivityWithRetry` schedules the next
 * attempt with the configured backoff. Anything else is the order's new state.
 */
import type { OrderDeps } from './deps';
import { assignOrder } from './assign-order';
import { snapshotOf, type OrderSnapshot } from './order-events';

export class AssignmentPendingError extends Error {
  override readonly name = 'AssignmentPendingError';
  constructor(orderId: string, nextAttemptAt: string | undefined) {
    super(`Order ${orderId} has no requisite yet${nextAttemptAt ? `; next attempt at ${nextAttemptAt}` : ''}`);
  }
}

export async function assignAttempt(deps: OrderDeps, tenantId: string, orderId: string): Promise<OrderSnapshot> {
  const result = await assignOrder(deps, tenantId, orderId);
  const status = result.order.status;
  if (status === 'new' || status === 'retrying') throw new AssignmentPendingError(orderId, result.nextAttemptAt);
  return snapshotOf(result.order);
}
