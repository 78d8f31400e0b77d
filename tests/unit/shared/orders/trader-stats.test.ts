import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { summariseTraderOrders, type StatsRow } from '../../../../shared/orders/trader-stats';

const now = new Date('2026-11-23T12:00:00Z');
const row = (status: StatsRow['status'], amountMinor: number, updatedAt: string, currency = 'RUB'): StatsRow => ({ status, amountMinor, currency, updatedAt });

describe('trader statistics', () => {
  it('should count orders by status and sum completed volume by day, month and in all', () => {
    const stats = summariseTraderOrders('trader-1', [
      row('completed', 100_000, '2026-11-23T09:00:00.000Z'),
      row('completed', 50_050, '2026-11-02T09:00:00.000Z'),
      row('completed', 20_000, '2026-10-31T23:59:59.000Z'),
      row('completed', 1_500, '2026-11-23T10:00:00.000Z', 'USD'),
      row('assigned', 70_000, '2026-11-23T11:00:00.000Z'),
      row('cancelled', 70_000, '2026-11-23T11:00:00.000Z'),
    ], now);
    assert.deepEqual(stats.ordersByStatus, { completed: 4, assigned: 1, cancelled: 1 });
    assert.deepEqual(stats.completed.today, { count: 2, volume: { RUB: '1000.00', USD: '15.00' } });
    assert.deepEqual(stats.completed.month, { count: 3, volume: { RUB: '1500.50', USD: '15.00' } });
    assert.deepEqual(stats.completed.total, { count: 4, volume: { RUB: '1700.50', USD: '15.00' } });
    assert.equal(stats.tenantId, undefined);
  });

  it('should answer zeros for a trader without orders and name the tenant scope', () => {
    const stats = summariseTraderOrders('trader-9', [], now, 'demo-a');
    assert.deepEqual(stats.completed.total, { count: 0, volume: {} });
    assert.equal(stats.tenantId, 'demo-a');
    assert.equal(stats.asOf, now.toISOString());
  });
});
