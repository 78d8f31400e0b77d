/**
 * A trader's order statistics for his team lead: orders by status, and the
 * volume he completed today, this month and in all (UTC), per currency.
 * Read from the orders container page by page (only the four fields it needs),
 * within the caller's tenant scope.
 */
import { formatAmount } from '../money';
import type { OrderDeps } from './deps';
import type { OrderDoc } from './documents';
import { dayKey, monthKey } from './selection';
import type { OrderStatus } from './transitions';

/** The fields of an order the statistics read. */
export type StatsRow = Pick<OrderDoc, 'status' | 'currency' | 'amountMinor' | 'updatedAt'>;

export interface VolumeFigure {
  count: number;
  /** Decimal strings per currency, e.g. `{ "RUB": "1500.00" }`. */
  volume: Record<string, string>;
}

export interface TraderStats {
  traderId: string;
  /** Merchant tenant the figures are limited to; absent = all merchants. */
  tenantId?: string;
  asOf: string;
  ordersByStatus: Partial<Record<OrderStatus, number>>;
  /** Completed orders by completion day (UTC `updatedAt` of the completed order). */
  completed: { today: VolumeFigure; month: VolumeFigure; total: VolumeFigure };
}

/** Pure aggregation, so the arithmetic is tested without a database. */
export function summariseTraderOrders(traderId: string, rows: Iterable<StatsRow>, now: Date, tenantId?: string): TraderStats {
  const day = dayKey(now);
  const month = monthKey(now);
  const byStatus: Partial<Record<OrderStatus, number>> = {};
  const sums = { today: new Map<string, number>(), month: new Map<string, number>(), total: new Map<string, number>() };
  const counts = { today: 0, month: 0, total: 0 };
  const add = (period: keyof typeof sums, row: StatsRow) => {
    counts[period] += 1;
    sums[period].set(row.currency, (sums[period].get(row.currency) ?? 0) + row.amountMinor);
  };
  for (const row of rows) {
    byStatus[row.status] = (byStatus[row.status] ?? 0) + 1;
    if (row.status !== 'completed') continue;
    add('total', row);
    if (row.updatedAt.slice(0, 7) === month) add('month', row);
    if (row.updatedAt.slice(0, 10) === day) add('today', row);
  }
  const figure = (period: keyof typeof sums): VolumeFigure => ({
    count: counts[period],
    volume: Object.fromEntries([...sums[period]].sort(([a], [b]) => (a < b ? -1 : 1)).map(([currency, minor]) => [currency, formatAmount({ currency, minor })])),
  });
  return {
    traderId,
    ...(tenantId === undefined ? {} : { tenantId }),
    asOf: now.toISOString(),
    ordersByStatus: byStatus,
    completed: { today: figure('today'), month: figure('month'), total: figure('total') },
  };
}

/** Reads the trader's orders (one merchant's if `tenantId` is set) and summarises them. */
export async function traderStats(deps: Pick<OrderDeps, 'store' | 'clock'>, traderId: string, tenantId: string | undefined): Promise<TraderStats> {
  const parameters = [{ name: '@traderId', value: traderId }, ...(tenantId === undefined ? [] : [{ name: '@tenantId', value: tenantId }])];
  const query = `SELECT c.status, c.currency, c.amountMinor, c.updatedAt FROM c WHERE c.type = 'order' AND c.assignment.traderId = @traderId${tenantId === undefined ? '' : ' AND c.tenantId = @tenantId'}`;
  const iterator = deps.store.orders.items.query<StatsRow>({ query, parameters }, { maxItemCount: 500, ...(tenantId === undefined ? {} : { partitionKey: tenantId }) });
  const rows: StatsRow[] = [];
  while (iterator.hasMoreResults()) {
    const { resources } = await iterator.fetchNext();
    rows.push(...resources);
  }
  return summariseTraderOrders(traderId, rows, deps.clock.now(), tenantId);
}
