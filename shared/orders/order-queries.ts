/** Cross-partition reads the HTTP functions and timers need (orders are partitioned by merchant). */
import { notFound } from '../errors';
import type { OrderDeps } from './deps';
import type { OrderDoc } from './documents';

/** The merchant tenant an order belongs to, for callers (traders, support) who only know its id. */
export async function findOrderTenant(deps: Pick<OrderDeps, 'store'>, orderId: string): Promise<string> {
  const { resources } = await deps.store.orders.items
    .query<{ tenantId: string }>({
      query: "SELECT c.tenantId FROM c WHERE c.id = @id AND c.type = 'order'",
      parameters: [{ name: '@id', value: orderId }],
    })
    .fetchAll();
  const first = resources[0];
  if (!first) throw notFound('Order');
  return first.tenantId;
}

/** A trader's assigned orders, newest first. */
export async function listTraderOrders(deps: Pick<OrderDeps, 'store'>, traderId: string, limit = 50): Promise<OrderDoc[]> {
  const { resources } = await deps.store.orders.items
    .query<OrderDoc>({
      query: "SELECT TOP @limit * FROM c WHERE c.type = 'order' AND c.assignment.traderId = @traderId ORDER BY c.updatedAt DESC",
      parameters: [
        { name: '@limit', value: limit },
        { name: '@traderId', value: traderId },
      ],
    })
    .fetchAll();
  return resources;
}

/** `new` orders created before `createdBefore` (ISO): their queue message was lost or never sent. */
export async function findUnpickedOrders(deps: Pick<OrderDeps, 'store'>, createdBefore: string, limit = 100): Promise<{ id: string; tenantId: string }[]> {
  const { resources } = await deps.store.orders.items
    .query<{ id: string; tenantId: string }>({
      query: "SELECT TOP @limit c.id, c.tenantId FROM c WHERE c.type = 'order' AND c.status = 'new' AND c.createdAt < @before",
      parameters: [
        { name: '@limit', value: limit },
        { name: '@before', value: createdBefore },
      ],
    })
    .fetchAll();
  return resources;
}
