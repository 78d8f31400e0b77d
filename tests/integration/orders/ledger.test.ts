import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import { DomainError } from '../../../shared/errors';
import type { BalanceDoc, PostingDoc } from '../../../shared/orders/documents';
import { postLedgerEntries } from '../../../shared/orders/ledger';
import { storeAccount } from '../../../shared/orders/ledger-postings';
import type { Actor, OrderAction } from '../../../shared/orders/schemas';
import { seedOrders } from '../../../scripts/seed-data';
import { openOrdersFixture, type OrdersFixture } from './cosmos-fixture';

/** A valid payee per payment method (pay-outs need one). */
const PAYEES: Record<string, object> = {
  card: { cardNumber: '4111 1111 1111 1111', holderName: 'ANNA K.' },
  sbp: { phone: '+7 916 000-11-22', holderName: 'ANNA K.', bank: 'alfa' },
  bank_transfer: { accountNumber: '40817810000000001234', holderName: 'ANNA K.', bank: 'vtb' },
};

const merchants: Record<string, Actor> = {
  'demo-a': { role: 'merchant', id: 'ua', tenantId: 'demo-a' },
  'demo-b': { role: 'merchant', id: 'ub', tenantId: 'demo-b' },
};
const support: Actor = { role: 'support', id: 'sup', tenantId: 'platform' };

/** Duplicates that a replayed operation may meet; anything else is a real failure. */
const isReplayRefusal = (e: unknown) => e instanceof DomainError && ['illegal-transition', 'forbidden'].includes(e.code);

async function once<T>(op: () => Promise<T>): Promise<void> {
  try { await op(); } catch (e) { if (!isReplayRefusal(e)) throw e; }
}
async function twice<T>(op: () => Promise<T>): Promise<void> {
  await Promise.all([once(op), once(op)]);
}

/** 24 orders across two merchants: pay-ins and pay-outs completed, cancelled, expired, disputed; then a timer sweep. */
async function mixedRun(fx: OrdersFixture, apply: typeof once): Promise<void> {
  const engine = fx.engine();
  for (let i = 0; i < 24; i += 1) {
    fx.clock.advance(1000);
    const tenantId = i % 3 === 0 ? 'demo-b' : 'demo-a';
    const actor = merchants[tenantId]!;
    const direction = i % 2 === 0 ? 'payin' : 'payout';
    const id = `mix-${i}`;
    const method = ['card', 'sbp', 'card', 'bank_transfer'][i % 4]!;
    const amount = `${1000 + i * 137}.${String(i * 7 % 100).padStart(2, '0')}`;
    await apply(() => engine.createOrder({ tenantId, direction, actor, orderId: id, body: { amount, currency: 'RUB', method, customerRef: `mix-${i % 5}`, ...(direction === 'payout' ? { payee: PAYEES[method] } : {}) } }));
    await apply(() => engine.assignOrder(tenantId, id));
    const order = await engine.getOrder(tenantId, id);
    if (order.status !== 'assigned') continue;
    const trader: Actor = { role: 'trader', id: 'tu', traderId: order.assignment!.traderId };
    const payer = direction === 'payin' ? actor : trader;
    const receiver = direction === 'payin' ? trader : actor;
    const act = (who: Actor, action: OrderAction) => apply(() => engine.applyOrderAction(who, tenantId, id, { action }));
    switch (i % 4) {
      case 0: await act(payer, 'confirm_payment'); await act(receiver, 'confirm'); break;
      case 1: await act(actor, 'cancel'); break;
      case 2: break; // nobody pays: expires below
      case 3: await act(payer, 'confirm_payment'); await act(actor, 'dispute'); await act(support, i % 8 === 3 ? 'resolve_complete' : 'resolve_cancel'); break;
    }
    await apply(() => engine.finalizeOrder(tenantId, id));
  }
  await failedOrders(fx, apply);
  fx.clock.advance(31 * 60_000);
  await apply(() => engine.expireDueOrders());
}

/** Answers undefined for `insufficient-balance` (what a pay-out the store cannot afford must get); anything else is thrown. */
async function insufficient<T>(op: Promise<T>): Promise<T | undefined> {
  try {
    return await op;
  } catch (e) {
    if (e instanceof DomainError && e.code === 'insufficient-balance') return undefined;
    throw e;
  }
}

/** Orders that fail: a pay-out denied by the fraud check after its hold, one the store cannot afford, a pay-in nothing fits. */
async function failedOrders(fx: OrdersFixture, apply: typeof once): Promise<void> {
  const engine = fx.engine({ FRAUD_BLOCKED_CUSTOMERS: ['demo-b:blocked'], MAX_ORDER_RETRIES: 0 });
  const actor = merchants['demo-b']!;
  fx.clock.advance(1000);
  await apply(() => engine.createOrder({ tenantId: 'demo-b', direction: 'payout', actor, orderId: 'fail-fraud', body: { amount: '800.00', currency: 'RUB', method: 'card', customerRef: 'blocked', payee: { cardNumber: '4111 1111 1111 1111', holderName: 'ANNA K.' } } }));
  await apply(() => engine.assignOrder('demo-b', 'fail-fraud'));
  await apply(() => insufficient(engine.createOrder({ tenantId: 'demo-b', direction: 'payout', actor, orderId: 'fail-broke', body: { amount: '990000.00', currency: 'RUB', method: 'card', customerRef: 'broke', payee: { cardNumber: '4111 1111 1111 1111', holderName: 'ANNA K.' } } })));
  await apply(() => engine.assignOrder('demo-b', 'fail-broke'));
  await apply(() => engine.createOrder({ tenantId: 'demo-b', direction: 'payin', actor, orderId: 'fail-nofit', body: { amount: '50.00', currency: 'USD', method: 'sbp', customerRef: 'nofit' } }));
  await apply(() => engine.assignOrder('demo-b', 'fail-nofit'));
}

async function balances(fx: OrdersFixture): Promise<Record<string, number>> {
  const { resources } = await fx.store.balances.items.query<BalanceDoc>({ query: "SELECT * FROM c WHERE c.type = 'balance'" }).fetchAll();
  return Object.fromEntries(resources.map((b) => [b.accountId, b.balanceMinor]).sort());
}

describe('ledger against Cosmos', () => {
  let single: OrdersFixture;
  let double: OrdersFixture;
  before(async () => {
    [single, double] = await Promise.all([openOrdersFixture('ledger-once'), openOrdersFixture('ledger-twice')]);
    await Promise.all([seedOrders(single.db, single.clock), seedOrders(double.db, double.clock)]);
  });
  after(async () => {
    await single.close();
    await double.close();
  });

  it('should leave the same balances when every operation of a mixed run is applied twice at once', async () => {
    await mixedRun(single, once);
    await mixedRun(double, twice);
    const a = await balances(single);
    assert.deepEqual(await balances(double), a);
    assert.ok(Object.keys(a).some((k) => k.startsWith('platform-profit:')), 'some orders completed');
    assert.ok(Object.keys(a).some((k) => k.startsWith('store-hold:')), 'some pay-outs held');
    const { resources } = await single.store.orders.items.query<string>({ query: "SELECT VALUE c.status FROM c WHERE c.type = 'order'" }).fetchAll();
    for (const status of ['completed', 'cancelled', 'expired', 'failed']) assert.ok(resources.includes(status), `mixed run has ${status} orders`);
    const engine = single.engine();
    const failed = await Promise.all(['fail-fraud', 'fail-broke', 'fail-nofit'].map((id) => engine.getOrder('demo-b', id)));
    assert.deepEqual(failed.map((o) => [o.status, o.failureReason]), [['failed', 'fraud-denied'], ['failed', 'insufficient-balance'], ['failed', 'no-requisite-available']]);
    assert.deepEqual(failed.map((o) => Object.keys(o.ledger).sort()), [['hold', 'refund'], [], []], 'the denied pay-out was held and refunded; the unaffordable one never held');
    const { resources: disputes } = await single.store.orders.items.query<number>({ query: "SELECT VALUE COUNT(1) FROM c JOIN h IN c.history WHERE h.event = 'dispute'" }).fetchAll();
    assert.ok((disputes[0] ?? 0) > 0, 'mixed run has disputed orders');
  });

  it('should refuse a pay-out that would take the store balance below zero with insufficient-balance', async () => {
    const engine = single.engine();
    const account = storeAccount('demo-b', 'demo-b-main', 'RUB').accountId;
    const before = (await engine.getBalance(account))!.balanceMinor;
    // Exactly the balance passes the amount but not the fee on top.
    const amount = (before / 100).toFixed(2);
    await assert.rejects(
      engine.createOrder({ tenantId: 'demo-b', direction: 'payout', actor: merchants['demo-b']!, orderId: 'just-too-big', body: { amount, currency: 'RUB', method: 'card', customerRef: 'edge', payee: { cardNumber: '4111 1111 1111 1111', holderName: 'ANNA K.' } } }),
      (e: unknown) => e instanceof DomainError && e.code === 'insufficient-balance' && e.status === 409 && e.details['balanceMinor'] === before,
    );
    assert.equal((await engine.getBalance(account))!.balanceMinor, before, 'nothing held');
    assert.equal((await engine.getOrder('demo-b', 'just-too-big')).failureReason, 'insufficient-balance');
    assert.equal((await engine.reconcile()).ok, true);
  });

  it('should reconcile after the mixed run', async () => {
    for (const fx of [single, double]) {
      const report = await fx.engine().reconcile();
      assert.deepEqual(report.mismatches, []);
      assert.deepEqual(report.incompleteJournals, []);
      assert.deepEqual(report.unbalancedJournals, []);
      assert.equal(report.ok, true);
    }
  });

  it('should post a settle set once when posted three times concurrently', async () => {
    const engine = single.engine();
    single.clock.advance(1000);
    const order = await engine.createOrder({ tenantId: 'demo-a', direction: 'payin', actor: merchants['demo-a']!, body: { amount: '2500.00', currency: 'RUB', method: 'card', customerRef: 'triple' } });
    const { order: assigned } = await engine.assignOrder('demo-a', order.id);
    const before = await balances(single);
    await Promise.all([1, 2, 3].map(() => postLedgerEntries(single.store, assigned, 'settle', single.clock, 50)));
    const afterThree = await balances(single);
    await postLedgerEntries(single.store, assigned, 'settle', single.clock, 50);
    assert.deepEqual(await balances(single), afterThree);
    const store = storeAccount('demo-a', 'demo-a-main', 'RUB').accountId;
    assert.equal(afterThree[store]! - (before[store] ?? 0), 242_500);
    assert.equal((await engine.reconcile()).ok, true);
  });

  it('should repair a posting whose balance write landed but whose posting doc did not (crash)', async () => {
    const account = storeAccount('demo-a', 'demo-a-main', 'RUB');
    const { resource: balance } = await single.store.balances.item(account.accountId, account.accountId).read<BalanceDoc>();
    assert.ok(balance);
    const pending: PostingDoc = {
      id: 'manual:deposit:account', type: 'posting', accountId: account.accountId, tenantId: 'demo-a', journalId: 'manual:deposit',
      orderId: 'manual', currency: 'RUB', amountMinor: 100, seq: balance.seq + 1, balanceAfterMinor: balance.balanceMinor + 100, at: single.clock.now().toISOString(),
    };
    const { _etag, ...rest } = balance;
    void _etag;
    await single.store.balances.item(account.accountId, account.accountId).replace({ ...rest, balanceMinor: balance.balanceMinor + 100, seq: pending.seq, pending });
    // The journal's other leg (platform cash) is posted by re-running the deposit: it finds the pending leg applied.
    const engine = single.engine();
    await engine.recordDeposit('manual', account, 100);
    await engine.recordDeposit('manual', account, 100);
    const report = await engine.reconcile();
    assert.deepEqual(report.mismatches, []);
    assert.equal(report.ok, true);
    assert.equal((await engine.getBalance(account.accountId))!.balanceMinor, balance.balanceMinor + 100);
  });
});
