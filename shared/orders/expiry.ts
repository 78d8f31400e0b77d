/**
 * Timeouts: an order nobody paid within ORDER_TIMEOUT_MINUTES expires, its
 * reservation goes back to the requisite and a pay-out's hold goes back to the
 * store. The lead's timer calls expireDueOrders; assignOrder expires late orders itself.
 */
import { DomainError } from '../errors';
import type { OrderDeps } from './deps';
import type { OrderDoc } from './documents';
import { finalizeOrder } from './finalize';
import { getOrder, transitionOrder } from './order-transition';
import { SYSTEM_ACTOR } from './schemas';
import { allowedFrom } from './transitions';

/** Expires the order if it is due (idempotent: finishing the release of an already expired order). */
export async function expireOrder(deps: OrderDeps, tenantId: string, orderId: string): Promise<OrderDoc> {
  const order = await getOrder(deps, tenantId, orderId);
  const due = deps.clock.now().toISOString() >= order.expiresAt;
  if (due && allowedFrom('expire').includes(order.status)) {
    try {
      await transitionOrder(deps, tenantId, orderId, 'expire', SYSTEM_ACTOR, () => ({ failureReason: 'timeout' }));
    } catch (error) {
      // Paid, confirmed or cancelled meanwhile: that status stands.
      if (!(error instanceof DomainError && error.code === 'illegal-transition')) throw error;
    }
  }
  return finalizeOrder(deps, tenantId, orderId);
}

/** Expires up to `limit` due orders across all tenants; returns how many it expired. */
export async function expireDueOrders(deps: OrderDeps, limit = 100): Promise<number> {
  const { resources } = await deps.store.orders.items
    .query<{ id: string; tenantId: string }>({
      query:
        "SELECT TOP @limit c.id, c.tenantId FROM c WHERE c.type = 'order' AND c.expiresAt <= @now" +
        " AND (c.status = 'new' OR c.status = 'retrying' OR c.status = 'assigned')",
      parameters: [
        { name: '@limit', value: limit },
        { name: '@now', value: deps.clock.now().toISOString() },
      ],
    })
    .fetchAll();
  let expired = 0;
  for (const { id, tenantId } of resources) {
    if ((await expireOrder(deps, tenantId, id)).status === 'expired') expired += 1;
  }
  return expired;
}
