import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DomainError } from '../../../shared/errors';
import type { BalanceDoc } from '../../../shared/orders/documents';
import { traderCryptoAccount } from '../../../shared/orders/ledger-postings';
import { listReferenceData, putReferenceData } from '../../../shared/orders/reference-admin';
import { moveTraderDeposit } from '../../../shared/orders/trader-deposits';
import { readItem } from '../../../shared/orders/store';
import { seedOrders } from '../../../scripts/seed-data';
import { openOrdersFixture, type OrdersFixture } from './cosmos-fixture';

async function rejects(promise: Promise<unknown>, code: string): Promise<void> {
  await assert.rejects(promise, (e: unknown) => e instanceof DomainError && e.code === code);
}

describe('platform admin money and reference data against Cosmos', () => {
  let fx: OrdersFixture;
  before(async () => {
    fx = await openOrdersFixture('admin-money');
    await seedOrders(fx.db, fx.clock);
  });
  after(() => fx.close());

  it('should top up and withdraw a trader deposit once per Idempotency-Key, and keep the ledger reconciled', async () => {
    const engine = fx.engine();
    const account = traderCryptoAccount('trader-2', 'USDT').accountId;
    const start = (await engine.getBalance(account))?.balanceMinor ?? 0;
    const topUp = await moveTraderDeposit(engine.deps, 'trader-2', 'top-up-1', { direction: 'top-up', amount: '250.5' });
    assert.deepEqual([topUp.amount, topUp.currency, topUp.replayed], ['250.500000', 'USDT', false]);
    const again = await moveTraderDeposit(engine.deps, 'trader-2', 'top-up-1', { direction: 'top-up', amount: '250.5' });
    assert.equal(again.replayed, true);
    await Promise.all([1, 2, 3].map(() => moveTraderDeposit(engine.deps, 'trader-2', 'withdraw-1', { direction: 'withdrawal', amount: '50' })));
    assert.equal((await engine.getBalance(account))?.balanceMinor, start + 250_500_000 - 50_000_000, 'each movement posted once');
    await rejects(moveTraderDeposit(engine.deps, 'trader-2', 'top-up-1', { direction: 'top-up', amount: '1' }), 'idempotency-key-reused');
    await rejects(moveTraderDeposit(engine.deps, 'trader-2', 'top-up-1', { direction: 'withdrawal', amount: '250.5' }), 'idempotency-key-reused');
    await rejects(moveTraderDeposit(engine.deps, 'trader-2', 'too-much', { direction: 'withdrawal', amount: '99999999' }), 'insufficient-balance');
    await rejects(moveTraderDeposit(engine.deps, 'nobody', 'k', { direction: 'top-up', amount: '1' }), 'not-found');
    assert.equal((await engine.reconcile()).ok, true);
  });

  it('should report an account whose balance is not the sum of its postings', async () => {
    const engine = fx.engine();
    const id = traderCryptoAccount('trader-2', 'USDT').accountId;
    const balance = (await readItem<BalanceDoc>(fx.store.balances, id, id))!;
    const { _etag, ...rest } = balance;
    void _etag;
    await fx.store.balances.item(id, id).replace({ ...rest, balanceMinor: balance.balanceMinor + 1 });
    const report = await engine.reconcile();
    assert.equal(report.ok, false);
    assert.deepEqual(report.mismatches.map((m) => m.accountId), [id]);
    await fx.store.balances.item(id, id).replace(rest);
    assert.equal((await engine.reconcile()).ok, true);
  });

  it('should write banks, methods and rates, refuse bad input, and refuse orders for a method switched off', async () => {
    const engine = fx.engine();
    await putReferenceData(engine.deps, 'banks', 'raif', { name: 'Raiffeisen', country: 'RU', active: true });
    await putReferenceData(engine.deps, 'rates', 'USDT-RUB', { rate: '95.10' });
    assert.ok((await listReferenceData(engine.deps, 'banks')).some((b) => b.id === 'bank:raif'));
    assert.equal((await engine.deps.reference.exchangeRate('USDT', 'RUB')).rate, '95.10');
    await rejects(putReferenceData(engine.deps, 'rates', 'USDT-USDT', { rate: '1' }), 'validation-failed');
    await rejects(putReferenceData(engine.deps, 'banks', 'Bad Code', { name: 'x', country: 'RU', active: true }), 'validation-failed');
    await putReferenceData(engine.deps, 'methods', 'sbp', { name: 'SBP', active: false });
    await rejects(
      engine.createOrder({ tenantId: 'demo-a', direction: 'payin', actor: { role: 'merchant', id: 'm', tenantId: 'demo-a' }, body: { amount: '500.00', currency: 'RUB', method: 'sbp', customerRef: 'c' } }),
      'method-unavailable',
    );
    await putReferenceData(engine.deps, 'methods', 'sbp', { name: 'SBP', active: true });
    await putReferenceData(engine.deps, 'rates', 'USDT-RUB', { rate: '92.50' });
  });
});
