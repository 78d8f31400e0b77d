/**
 * Velocity counts for the fraud check, counted when the order is created.
 * Two counter documents per window live in the merchant's orders partition:
 * `velocity:merchant:{tenant}:{window}` and `velocity:customer:{tenant}:{customerRef}:{window}`.
 * The order's create and both counters' increments are one transactional batch
 * (create-order.ts): a repeated create fails on the order and counts nothing, so
 * no order is counted twice, and Patch `incr` needs no ETag, so concurrent
 * orders never fight over the merchant's counter. The counts each increment
 * answers are the order's place in its window (including itself).
 *
 * An ALLOW on the first try conditions both increments on the limit
 * (`count < max`): if either would pass it the batch fails as a whole and the
 * order is counted again without conditions, then decided on the exact counts.
 * Orders created before the counters (or whose decision a crash lost) are
 * counted from the orders themselves (countVelocityByQuery).
 */
import type { JSONObject, OperationInput } from '@azure/cosmos';
import { CompletedWrites } from './completed-writes';
import type { VelocityDoc } from './documents';
import type { VelocityCounts } from './fraud';
import type { OrdersStore } from './store';

export function windowStart(at: Date, windowMinutes: number): string {
  const ms = windowMinutes * 60_000;
  return new Date(Math.floor(at.getTime() / ms) * ms).toISOString();
}

/** The tenant is part of both ids: two merchants' customers may share a customerRef. */
export const merchantCounterId = (tenantId: string, window: string) => `velocity:merchant:${tenantId}:${window}`;
export const customerCounterId = (tenantId: string, customerRef: string, window: string) => `velocity:customer:${tenantId}:${customerRef}:${window}`;

/** Counter documents this process has seen exist: they are raised with Patch, others opened with Create. */
const knownCounters = new CompletedWrites();

export interface CountedOrder {
  tenantId: string;
  customerRef: string;
  createdAt: string;
  amountMinor: number;
}

/** Limits the increments are conditioned on (orders already counted must stay below them); none: count unconditionally. */
export interface VelocityLimits {
  merchant: number;
  customer: number;
}

interface Counter {
  id: string;
  scope: VelocityDoc['scope'];
  key: string;
  limit: number | undefined;
}

function counters(order: CountedOrder, windowMinutes: number, limits: VelocityLimits | undefined): Counter[] {
  const window = windowStart(new Date(order.createdAt), windowMinutes);
  return [
    { id: merchantCounterId(order.tenantId, window), scope: 'merchant', key: order.tenantId, limit: limits?.merchant },
    { id: customerCounterId(order.tenantId, order.customerRef, window), scope: 'customer', key: order.customerRef, limit: limits?.customer },
  ];
}

/** The batch operations that count `order` into its window: merchant counter first, then the customer's. */
export function velocityOperations(order: CountedOrder, windowMinutes: number, limits?: VelocityLimits): OperationInput[] {
  const window = windowStart(new Date(order.createdAt), windowMinutes);
  return counters(order, windowMinutes, limits).map((c): OperationInput => {
    if (knownCounters.has(c.id)) {
      return {
        operationType: 'Patch',
        id: c.id,
        resourceBody: {
          operations: [
            { op: 'incr', path: '/count', value: 1 },
            { op: 'incr', path: '/amountMinor', value: order.amountMinor },
          ],
          // Integers from the settings schema, never input: safe to inline (a patch condition takes no parameters).
          ...(c.limit !== undefined ? { condition: `from c where c.count < ${Math.trunc(c.limit)}` } : {}),
        },
      };
    }
    const opened: VelocityDoc = {
      id: c.id, type: 'velocity', tenantId: order.tenantId, scope: c.scope, key: c.key,
      windowStart: window, count: 1, amountMinor: order.amountMinor, orderIds: [],
    };
    return { operationType: 'Create', resourceBody: opened as unknown as JSONObject };
  });
}

/**
 * What a failed velocity operation means for the next try: 409 (opened by
 * someone else) and 404 (gone) switch between Create and Patch; 412 is a limit
 * the condition refused. Answers whether the batch may simply run again.
 */
export function learnFromFailure(operation: OperationInput | undefined, status: number): 'retry' | 'limit' | 'unknown' {
  const id = !operation ? undefined : 'id' in operation ? operation.id : 'resourceBody' in operation ? (operation.resourceBody as { id?: string }).id : undefined;
  if (!id) return 'unknown';
  if (status === 409) knownCounters.add(id);
  else if (status === 404) knownCounters.delete(id);
  else if (status === 412) return 'limit';
  else return 'unknown';
  return 'retry';
}

/** After a committed batch: both counters exist, the next order raises them. */
export function countersOpened(order: CountedOrder, windowMinutes: number): void {
  for (const c of counters(order, windowMinutes, undefined)) knownCounters.add(c.id);
}

/** The counts the batch answered: the order's place in its window. */
export function countsFromBatch(docs: readonly ({ count?: unknown } | undefined)[]): VelocityCounts {
  const count = (doc: { count?: unknown } | undefined) => (typeof doc?.count === 'number' ? doc.count : 1);
  return { merchantOrders: count(docs[0]), customerOrders: count(docs[1]) };
}

/**
 * Counts from the orders themselves: the merchant's orders and this customer's,
 * created in the order's window up to the order (itself included). Two queries;
 * only for orders whose counted decision is missing.
 */
export async function countVelocityByQuery(store: OrdersStore, order: CountedOrder, windowMinutes: number): Promise<VelocityCounts> {
  const since = windowStart(new Date(order.createdAt), windowMinutes);
  const count = async (customer: boolean) => {
    const { resources } = await store.orders.items
      .query<number>(
        {
          query:
            "SELECT VALUE COUNT(1) FROM c WHERE c.tenantId = @tenantId AND c.type = 'order' AND c.createdAt >= @since AND c.createdAt <= @until" +
            (customer ? ' AND c.customerRef = @customerRef' : ''),
          parameters: [
            { name: '@tenantId', value: order.tenantId },
            { name: '@since', value: since },
            { name: '@until', value: order.createdAt },
            ...(customer ? [{ name: '@customerRef', value: order.customerRef }] : []),
          ],
        },
        { partitionKey: order.tenantId },
      )
      .fetchAll();
    return Math.max(1, resources[0] ?? 0);
  };
  const [merchantOrders, customerOrders] = await Promise.all([count(false), count(true)]);
  return { merchantOrders, customerOrders };
}
