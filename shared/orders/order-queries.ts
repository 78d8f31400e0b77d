/** Cross-partition reads the HTTP functions and timers need (orders are partitioned by merchant). */
import { notFound } from '../errors';
import type { OrderDeps } from './deps';
import type { OrderDoc } from './documents';
import { queryPage, type Page } from './paging';
import type { OrderDirection } from './schemas';
import type { OrderStatus } from './transitions';

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

export interface OrderFilter {
  /** Limit to one merchant tenant (single-partition query); undefined = all tenants. */
  tenantId?: string | undefined;
  status?: OrderStatus | undefined;
  traderId?: string | undefined;
  /** Merchant self-service filters: one store, a direction, the merchant's customer, a creation-time range (ISO, inclusive). */
  storeId?: string | undefined;
  direction?: OrderDirection | undefined;
  customerRef?: string | undefined;
  createdFrom?: string | undefined;
  createdTo?: string | undefined;
}

/** Orders matching `filter`, newest first, one page at a time (support's order list). */
export function listOrdersPage(deps: Pick<OrderDeps, 'store'>, filter: OrderFilter, page: { limit: number; continuation?: string | undefined }): Promise<Page<OrderDoc>> {
  const where = ["c.type = 'order'"];
  const parameters: { name: string; value: string }[] = [];
  if (filter.tenantId !== undefined) {
    where.push('c.tenantId = @tenantId');
    parameters.push({ name: '@tenantId', value: filter.tenantId });
  }
  if (filter.status !== undefined) {
    where.push('c.status = @status');
    parameters.push({ name: '@status', value: filter.status });
  }
  if (filter.traderId !== undefined) {
    where.push('c.assignment.traderId = @traderId');
    parameters.push({ name: '@traderId', value: filter.traderId });
  }
  const more = [
    ['c.storeId = @storeId', '@storeId', filter.storeId],
    ['c.direction = @direction', '@direction', filter.direction],
    ['c.customerRef = @customerRef', '@customerRef', filter.customerRef],
    ['c.createdAt >= @createdFrom', '@createdFrom', filter.createdFrom],
    ['c.createdAt <= @createdTo', '@createdTo', filter.createdTo],
  ] as const;
  for (const [clause, name, value] of more) {
    if (value === undefined) continue;
    where.push(clause);
    parameters.push({ name, value });
  }
  return queryPage<OrderDoc>(
    deps.store.orders,
    { query: `SELECT * FROM c WHERE ${where.join(' AND ')} ORDER BY c.createdAt DESC`, parameters },
    { ...page, partitionKey: filter.tenantId },
  );
}
