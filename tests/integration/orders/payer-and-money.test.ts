/**
 * The payer gateway's link checks and the merchant's money reads on the Cosmos server: a link
 * opens its own pay-in only and lapses with it; balances, history, statements and order lists
 * stay within one tenant and store even when another tenant uses the same store id and customer.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DomainError } from '../../../shared/errors';
import type { MerchantDoc, OrderDoc, StoreDoc } from '../../../shared/orders/documents';
import { storeAccount } from '../../../shared/orders/ledger-postings';
import { balanceHistory, listStoreBalances, storeStatementCsv } from '../../../shared/orders/merchant/store-money';
import { listOrdersPage } from '../../../shared/orders/order-queries';
import { openPayerOrder } from '../../../shared/orders/payer/payer-gateway';
import { payerTokenFor, payerTokenHash } from '../../../shared/orders/payer/payer-token';
import { openOrdersFixture, type OrdersFixture } from './cosmos-fixture';

const KEY = 'a-pepper-of-at-least-16';

describe('payer links and merchant money (Cosmos)', () => {
  let f: OrdersFixture;
  before(async () => {
    f = await openOrdersFixture('payer-money');
    for (const tenantId of ['pm-a', 'pm-b']) {
      const merchant: MerchantDoc = { id: tenantId, type: 'merchant', tenantId, name: tenantId, active: true, defaultStoreId: 'main' };
      const store: StoreDoc = { id: 'main', type: 'store', tenantId, name: 'Main', active: true, commission: { payinBps: 300, payoutBps: 300 } };
      await f.store.merchants.items.create(merchant);
      await f.store.merchants.items.create(store);
    }
  });
  after(async () => f?.close());

  const createPayin = async (tenantId: string, key: string, customerRef = 'shopper-1') => {
    const engine = f.engine();
    const orderId = `${tenantId}-${key}`;
    const token = payerTokenFor(KEY, { tenantId, orderId });
    const order = await engine.createOrder({
      tenantId,
      direction: 'payin',
      orderId,
      payerTokenHash: payerTokenHash(token),
      body: { amount: '100.00', currency: 'RUB', method: 'card', customerRef },
      actor: { role: 'merchant', id: 'apikey:test', tenantId },
    });
    return { order, token };
  };
  const code = async (p: Promise<unknown>) => {
    try {
      await p;
      return undefined;
    } catch (e) {
      return e instanceof DomainError ? `${e.status} ${e.code}` : String(e);
    }
  };

  it('should open a pay-in with its own link only, and lapse the link with the order', async () => {
    const deps = f.engine().deps;
    const { order, token } = await createPayin('pm-a', 'link-1');
    assert.equal((await openPayerOrder(deps, token, 'act')).id, order.id);
    const other = await createPayin('pm-a', 'link-2');
    // A valid token of another order, and a token naming this order with the other's MAC.
    const spliced = `${token.split('.')[0]}.${other.token.split('.')[1]}`;
    assert.equal(await code(openPayerOrder(deps, spliced, 'read')), '404 payer-link-not-found');
    assert.equal(await code(openPayerOrder(deps, payerTokenFor('another-pepper-value', { tenantId: 'pm-a', orderId: order.id }), 'read')), '404 payer-link-not-found');

    f.clock.set(new Date(Date.parse(order.expiresAt) + 1000));
    assert.equal(await code(openPayerOrder(deps, token, 'act')), '410 payer-link-expired');
    assert.equal(await code(openPayerOrder(deps, token, 'read')), '410 payer-link-expired');
    await f.engine().expireOrder('pm-a', order.id);
    // Expired just now: the payer may still read that, for one order timeout.
    assert.equal((await openPayerOrder(deps, token, 'read')).status, 'expired');
    f.clock.set(new Date(f.clock.now().getTime() + deps.settings.ORDER_TIMEOUT_MINUTES * 60_000 + 1000));
    assert.equal(await code(openPayerOrder(deps, token, 'read')), '410 payer-link-expired');
  });

  it("should keep balances, history, statements and order lists within one tenant's store", async () => {
    const engine = f.engine();
    await engine.recordDeposit('dep-a', storeAccount('pm-a', 'main', 'RUB'), 12_345);
    await engine.recordDeposit('dep-b', storeAccount('pm-b', 'main', 'RUB'), 99_999);
    await createPayin('pm-b', 'iso-1', 'shopper-1');
    const balances = await listStoreBalances(engine.deps, 'pm-a', {});
    assert.deepEqual(balances.map((b) => [b.storeId, b.currency, b.available, b.held]), [['main', 'RUB', '123.45', '0.00']]);
    const history = await balanceHistory(engine.deps, 'pm-a', 'main', 'RUB', { limit: 10 });
    assert.deepEqual(history.items.map((l) => [l.orderId, l.kind, l.amount, l.balanceAfter]), [['dep-a', 'deposit', '123.45', '123.45']]);
    const csv = await storeStatementCsv(engine.deps, 'pm-a', 'main', 'RUB', { from: '2000-01-01T00:00:00.000Z', to: '2100-01-01T00:00:00.000Z' });
    assert.deepEqual(csv.split('\r\n').slice(1, -1).map((l) => l.split(',').slice(1).join(',')), ['available,1,dep-a,deposit,123.45,123.45,RUB']);
    assert.ok(csv.endsWith('\r\n'));
    const empty = await storeStatementCsv(engine.deps, 'pm-a', 'main', 'RUB', { from: '2000-01-01T00:00:00.000Z', to: '2000-01-02T00:00:00.000Z' });
    assert.equal(empty, 'at,account,seq,orderId,kind,amount,balanceAfter,currency\r\n');
    const page = await listOrdersPage(engine.deps, { tenantId: 'pm-a', customerRef: 'shopper-1', storeId: 'main' }, { limit: 50 });
    assert.ok(page.items.length > 0 && page.items.every((o: OrderDoc) => o.tenantId === 'pm-a'));
  });
});
