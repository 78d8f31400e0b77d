import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { DomainError } from '../../../../shared/errors';
import { computeQuote } from '../../../../shared/orders/quote';

const base = {
  amountMinor: 100_000, // 1000.00 RUB
  currency: 'RUB',
  storeCommission: { payinBps: 300, payoutBps: 250 },
  traderCommission: { payinBps: 150, payoutBps: 100 },
  rate: { base: 'USDT', quote: 'RUB', rate: '92.50' },
  settlementCurrency: 'USDT',
};

describe('order quote', () => {
  it('should fix commissions and the trader settlement of a pay-in', () => {
    const q = computeQuote({ ...base, direction: 'payin' });
    assert.equal(q.storeCommissionMinor, 3000); // 30.00
    assert.equal(q.traderCommissionMinor, 1500); // 15.00
    assert.equal(q.platformProfitMinor, 1500);
    assert.equal(q.settlementMinor, 10_648_649); // 985.00 / 92.50 USDT, half-up
    assert.deepEqual(q.rate, base.rate);
  });

  it('should add the trader reward on a pay-out', () => {
    const q = computeQuote({ ...base, direction: 'payout' });
    assert.equal(q.storeCommissionMinor, 2500);
    assert.equal(q.traderCommissionMinor, 1000);
    assert.equal(q.settlementMinor, 10_918_919); // 1010.00 / 92.50
  });

  it('should round the store fee up and the trader reward down', () => {
    const q = computeQuote({ ...base, direction: 'payin', amountMinor: 333 });
    assert.equal(q.storeCommissionMinor, 10); // 9.99 -> 10
    assert.equal(q.traderCommissionMinor, 4); // 4.995 -> 4
    assert.ok(q.platformProfitMinor >= 0);
  });

  it('should refuse a trader commission above the store commission', () => {
    assert.throws(() => computeQuote({ ...base, direction: 'payin', traderCommission: { payinBps: 400, payoutBps: 0 } }), DomainError);
  });
});
