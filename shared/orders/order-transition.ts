/**
 * Writing a status change: the rule check and the write happen on the same
 * read, under the order's ETag, so two concurrent actions cannot both win.
 */
import { orderStatusEvent } from '../audit/order-events';
import { notFound } from '../errors';
import type { OrderDeps } from './deps';
import type { OrderDoc, OrderHistoryEntry } from './documents';
import { mutateItem } from './optimistic';
import type { Actor, OrderAction } from './schemas';
import { readItem } from './store';
import { nextStatus, type EngineStep } from './transitions';

export async function getOrder(deps: Pick<OrderDeps, 'store'>, tenantId: string, orderId: string): Promise<OrderDoc> {
  const order = await readItem<OrderDoc>(deps.store.orders, orderId, tenantId);
  if (!order || order.type !== 'order') throw notFound('Order');
  return order;
}

export function historyEntry(deps: Pick<OrderDeps, 'clock'>, actor: Actor, event: string, extra: Partial<OrderHistoryEntry> = {}): OrderHistoryEntry {
  return { at: deps.clock.now().toISOString(), event, by: actor.id, role: actor.role, ...extra };
}

/**
 * Moves the order by `action` (throws forbidden / illegal-transition), letting
 * `change` set more fields on the same write. The subject for ownership checks
 * includes the assigned trader and team lead.
 */
export async function transitionOrder(
  deps: Pick<OrderDeps, 'store' | 'clock' | 'settings'> & Partial<Pick<OrderDeps, 'audit'>>,
  tenantId: string,
  orderId: string,
  action: OrderAction | EngineStep,
  actor: Actor,
  change: (order: OrderDoc) => Partial<OrderDoc> = () => ({}),
  reason?: string,
  /** The order as the caller last read or wrote it: saves a read when it is still current (see mutateItem). */
  known?: OrderDoc,
): Promise<OrderDoc> {
  let from: OrderDoc['status'] | undefined;
  const { doc } = await mutateItem<OrderDoc>(
    deps.store.orders,
    orderId,
    tenantId,
    (order) => {
      from = order.status;
      const to = nextStatus(
        { ...order, traderId: order.assignment?.traderId, teamLeadId: order.assignment?.teamLeadId },
        action,
        actor,
      );
      const at = deps.clock.now().toISOString();
      const entry = historyEntry(deps, actor, action, { from: order.status, to, ...(reason ? { reason } : {}) });
      return { ...order, ...change(order), status: to, updatedAt: at, history: [...order.history, entry] };
    },
    deps.settings.CONCURRENCY_MAX_ATTEMPTS,
    known,
  );
  // People's changes go to the audit trail; the engine's own steps are on the order's history
  // (one write fewer per engine step on the hot path).
  if (actor.role !== 'system' && from !== undefined) {
    await deps.audit?.(orderStatusEvent(tenantId, orderId, actor, action, from, doc.status));
  }
  return doc;
}
