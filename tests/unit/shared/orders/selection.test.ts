import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { dynamicLimitExceeded, rankCandidates, rollUsage, staticMismatch } from '../../../../shared/orders/selection';
import { requisiteFixture, traderFixture } from './fixtures';

const now = new Date('2026-11-23T12:00:00Z');
const ask = { direction: 'payin' as const, method: 'card', currency: 'RUB', amountMinor: 100_000 };

describe('requisite selection', () => {
  it('should order by trader priority, then never used, then least recently used', () => {
    const traders = new Map([
      ['t-fast', traderFixture({ id: 't-fast', trafficPriority: 1 })],
      ['t-slow', traderFixture({ id: 't-slow', trafficPriority: 2 })],
    ]);
    const requisites = [
      requisiteFixture({ id: 'slow-never', traderId: 't-slow', lastUsedAt: null }),
      requisiteFixture({ id: 'fast-recent', traderId: 't-fast', lastUsedAt: '2026-11-23T11:59:00.000Z' }),
      requisiteFixture({ id: 'fast-old', traderId: 't-fast', lastUsedAt: '2026-11-23T08:00:00.000Z' }),
      requisiteFixture({ id: 'fast-never', traderId: 't-fast', lastUsedAt: null }),
    ];
    assert.deepEqual(rankCandidates(requisites, traders, ask, now).map((c) => c.requisite.id), ['fast-never', 'fast-old', 'fast-recent', 'slow-never']);
  });

  it('should round-robin: the requisite just used goes to the back', () => {
    const traders = new Map([['trader-1', traderFixture()]]);
    let requisites = ['a', 'b', 'c'].map((id) => requisiteFixture({ id, lastUsedAt: null }));
    const picked: string[] = [];
    for (let i = 0; i < 6; i += 1) {
      const first = rankCandidates(requisites, traders, ask, now)[0]!;
      picked.push(first.requisite.id);
      const usedAt = new Date(now.getTime() + i * 1000).toISOString();
      requisites = requisites.map((r) => (r.id === first.requisite.id ? { ...r, lastUsedAt: usedAt } : r));
    }
    assert.deepEqual(picked, ['a', 'b', 'c', 'a', 'b', 'c']);
  });

  it('should filter by method, currency, direction, per-order limits and activity', () => {
    const trader = traderFixture();
    assert.equal(staticMismatch(requisiteFixture(), trader, ask), undefined);
    assert.equal(staticMismatch(requisiteFixture({ method: 'sbp' }), trader, ask), 'method');
    assert.equal(staticMismatch(requisiteFixture({ currency: 'USD' }), trader, ask), 'currency');
    assert.equal(staticMismatch(requisiteFixture({ directions: ['payout'] }), trader, ask), 'direction');
    assert.equal(staticMismatch(requisiteFixture({ minOrderMinor: 100_001 }), trader, ask), 'below-order-minimum');
    assert.equal(staticMismatch(requisiteFixture({ maxOrderMinor: 99_999 }), trader, ask), 'above-order-maximum');
    assert.equal(staticMismatch(requisiteFixture({ status: 'blocked' }), trader, ask), 'requisite-inactive');
    assert.equal(staticMismatch(requisiteFixture(), traderFixture({ active: false }), ask), 'trader-inactive');
    assert.equal(staticMismatch(requisiteFixture(), undefined, ask), 'trader-inactive');
  });

  it('should check daily and monthly limits against rolled-over usage', () => {
    const usage = { day: '2026-11-23', dayMinor: 4_950_000, month: '2026-11', monthMinor: 49_950_000 };
    assert.equal(dynamicLimitExceeded(requisiteFixture({ usage }), 50_000, now), undefined);
    assert.equal(dynamicLimitExceeded(requisiteFixture({ usage }), 50_001, now), 'daily-limit');
    const yesterday = { ...usage, day: '2026-11-22' };
    assert.equal(dynamicLimitExceeded(requisiteFixture({ usage: yesterday }), 50_001, now), 'monthly-limit');
    assert.deepEqual(rollUsage({ ...usage, day: '2026-10-31', month: '2026-10' }, now), { day: '2026-11-23', dayMinor: 0, month: '2026-11', monthMinor: 0 });
  });
});
