/**
 * Velocity counts for the fraud check.
 * - Per customer: a counter doc per (merchant, customer, window), incremented
 *   under its ETag; it remembers the order ids it counted, so a replayed check
 *   does not count the same order twice. Contention is low (one customer).
 * - Per merchant: counted from the merchant's own orders in the window with a
 *   single-partition COUNT query. A per-merchant counter doc would be the one
 *   document every concurrent order fights over (hundreds of 412 retries under
 *   load); the orders themselves are already an idempotent, contention-free count.
 */
import type { Clock } from '../platform/clock';
import { isConflict } from './cosmos-errors';
import type { VelocityDoc } from './documents';
import type { VelocityCounts } from './fraud';
import { mutateItem } from './optimistic';
import type { OrdersStore } from './store';

/** Most ids one counter doc remembers; beyond it a replay could be counted twice (conservative: more checks). */
const REMEMBERED_IDS = 200;

function windowStart(now: Date, windowMinutes: number): Date {
  const ms = windowMinutes * 60_000;
  return new Date(Math.floor(now.getTime() / ms) * ms);
}

export interface VelocityInput {
  tenantId: string;
  customerRef: string;
  orderId: string;
  amountMinor: number;
}

/** Counts this order into the customer's window and returns the counts including it. */
export async function countVelocity(
  store: OrdersStore,
  input: VelocityInput,
  clock: Clock,
  windowMinutes: number,
  maxAttempts: number,
): Promise<VelocityCounts> {
  const start = windowStart(clock.now(), windowMinutes);
  // The tenant is part of the id: two merchants' customers may share a customerRef.
  const id = `velocity:customer:${input.tenantId}:${input.customerRef}:${start.toISOString()}`;
  // The customer's first order in the window opens the counter already counting it (one write);
  // otherwise (409) it is counted into the existing one under its ETag.
  const opened: VelocityDoc = {
    id, type: 'velocity', tenantId: input.tenantId, scope: 'customer', key: input.customerRef,
    windowStart: start.toISOString(), count: 1, amountMinor: input.amountMinor, orderIds: [input.orderId],
  };
  const doc = (await createIfAbsent(store, opened)) ? opened : await countInto(store, id, input, maxAttempts);
  const { resources } = await store.orders.items
    .query<number>(
      {
        query: "SELECT VALUE COUNT(1) FROM c WHERE c.tenantId = @tenantId AND c.type = 'order' AND c.createdAt >= @since",
        parameters: [
          { name: '@tenantId', value: input.tenantId },
          { name: '@since', value: start.toISOString() },
        ],
      },
      { partitionKey: input.tenantId },
    )
    .fetchAll();
  return { customerOrders: doc.count, merchantOrders: resources[0] ?? 0 };
}

async function createIfAbsent(store: OrdersStore, doc: VelocityDoc): Promise<boolean> {
  try {
    await store.orders.items.create(doc);
    return true;
  } catch (error) {
    if (!isConflict(error)) throw error;
    return false;
  }
}

/** Adds the order to an existing window (a replay of an order it already counts changes nothing). */
async function countInto(store: OrdersStore, id: string, input: VelocityInput, maxAttempts: number): Promise<VelocityDoc> {
  const { doc } = await mutateItem<VelocityDoc>(store.orders, id, input.tenantId, (current) =>
    current.orderIds.includes(input.orderId)
      ? null
      : {
          ...current,
          count: current.count + 1,
          amountMinor: current.amountMinor + input.amountMinor,
          orderIds: [...current.orderIds, input.orderId].slice(-REMEMBERED_IDS),
        },
    maxAttempts,
  );
  return doc;
}
