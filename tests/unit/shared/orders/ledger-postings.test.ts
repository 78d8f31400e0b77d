import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { buildDepositSet, buildPostingSet, sumByCurrency } from '../../../../shared/orders/ledger-postings';
import { computeQuote } from '../../../../shared/orders/quote';
import { orderFixture } from './fixtures';

const assigned = (direction: 'payin' | 'payout') => {
  const order = orderFixture({ direction, ...(direction === 'payout' ? { holdMinor: 102_500, storeCommissionBps: 250 } : {}) });
  const quote = computeQuote({
    direction, amountMinor: order.amountMinor, currency: 'RUB',
    storeCommission: { payinBps: 300, payoutBps: 250 }, traderCommission: { payinBps: 150, payoutBps: 100 },
    rate: { base: 'USDT', quote: 'RUB', rate: '92.50' }, settlementCurrency: 'USDT',
  });
  return {
    ...order, quote,
    assignment: { requisiteId: 'req-1', traderId: 'trader-1', bankId: 'bank:sber', method: 'card', displayNumber: 'x', holderName: 'y', assignedAt: order.createdAt },
  };
};

const zeroPerCurrency = (legs: { currency: string; amountMinor: number }[]) =>
  [...sumByCurrency(legs as never).values()].every((v) => v === 0);

describe('ledger posting sets', () => {
  it('should settle a pay-in: store credited net of fee, trader deposit debited, sums zero per currency', () => {
    const legs = buildPostingSet(assigned('payin'), 'settle');
    const by = Object.fromEntries(legs.map((l) => [l.id, l.amountMinor]));
    assert.deepEqual(by, {
      'order-1:settle:store': 97_000,
      'order-1:settle:profit': 1500,
      'order-1:settle:fx-fiat': -98_500,
      'order-1:settle:fx-settlement': 10_648_649,
      'order-1:settle:trader': -10_648_649,
    });
    assert.ok(zeroPerCurrency(legs));
  });

  it('should settle a pay-out from the hold and credit the trader', () => {
    const legs = buildPostingSet(assigned('payout'), 'settle');
    assert.ok(zeroPerCurrency(legs));
    assert.equal(legs.find((l) => l.id === 'order-1:settle:store-hold')?.amountMinor, -102_500);
    assert.equal(legs.find((l) => l.id === 'order-1:settle:trader')?.amountMinor, 10_918_919);
  });

  it('should hold and refund symmetric amounts', () => {
    const order = assigned('payout');
    const hold = buildPostingSet(order, 'hold');
    const refund = buildPostingSet(order, 'refund');
    assert.ok(zeroPerCurrency(hold) && zeroPerCurrency(refund));
    assert.equal(hold[0]!.account.accountId, 'store:demo-a:demo-a-main:RUB');
    assert.equal(hold[0]!.amountMinor, -102_500);
    assert.equal(refund.find((l) => l.account.kind === 'store')?.amountMinor, 102_500);
  });

  it('should derive posting ids from the order so a replay finds them', () => {
    assert.deepEqual(buildPostingSet(assigned('payin'), 'settle').map((l) => l.id), buildPostingSet(assigned('payin'), 'settle').map((l) => l.id));
    assert.throws(() => buildPostingSet(orderFixture(), 'settle'));
  });

  it('should balance deposits against platform cash', () => {
    const legs = buildDepositSet('dep-1', { accountId: 'a', kind: 'store', ownerId: 's', tenantId: 't', currency: 'RUB', allowNegative: false }, 500);
    assert.ok(zeroPerCurrency(legs));
    assert.throws(() => buildDepositSet('dep-2', legs[0]!.account, 0), RangeError);
  });
});
