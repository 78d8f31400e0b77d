/**
 * One assignment attempt as a durable activity sees it: an order still waiting
 * for a requisite is an error, so `callActivityWithRetry` schedules the next
 * attempt with the configured backoff. Anything else is the order's new state.
 */
import type { OrderDeps } from './deps';
import { assignOrder } from './assign-order';
import { snapshotOf, type OrderSnapshot } from './order-events';

/** In the message of every AssignmentPendingError; an orchestrator sees only the message of a failed activity. */
const PENDING_MARK = 'has no requisite yet';

export class AssignmentPendingError extends Error {
  override readonly name = 'AssignmentPendingError';
  constructor(orderId: string, nextAttemptAt: string | undefined) {
    super(`Order ${orderId} ${PENDING_MARK}${nextAttemptAt ? `; next attempt at ${nextAttemptAt}` : ''}`);
  }
}

/**
 * The failure reason an order gets when its assignment retries are spent:
 * `no-requisite-available` if the last attempt found nothing that fits,
 * `assignment-error` if it failed otherwise (storage unavailable, contention
 * that never settled), so the merchant and support are not told "no capacity"
 * for an outage. Pure: orchestrators call it on the replayed failure.
 */
export function assignmentFailureReason(error: unknown): 'no-requisite-available' | 'assignment-error' {
  return error instanceof Error && error.message.includes(PENDING_MARK) ? 'no-requisite-available' : 'assignment-error';
}

export async function assignAttempt(deps: OrderDeps, tenantId: string, orderId: string): Promise<OrderSnapshot> {
  const result = await assignOrder(deps, tenantId, orderId);
  const status = result.order.status;
  if (status === 'new' || status === 'retrying') throw new AssignmentPendingError(orderId, result.nextAttemptAt);
  return snapshotOf(result.order);
}
