/**
 * Every query names the tenant in its filter, not only in the partition-key option: the local
 * Cosmos server (like a cross-partition query by mistake) would otherwise mix merchants' data.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { countVelocityByQuery, customerCounterId, windowStart } from '../../../shared/orders/velocity';
import type { VelocityDoc } from '../../../shared/orders/documents';
import { readItem } from '../../../shared/orders/store';
import { openOrdersFixture, type OrdersFixture } from './cosmos-fixture';

describe('tenant isolation of order queries', () => {
  let f: OrdersFixture;
  before(async () => {
    f = await openOrdersFixture('isolation');
  });
  after(async () => f?.close());

  it('should count velocity per merchant even when two merchants share a customerRef', async () => {
    const createdAt = f.clock.now().toISOString();
    for (const [id, tenantId] of [['iso-a-o1', 'iso-a'], ['iso-b-o1', 'iso-b'], ['iso-a-o2', 'iso-a']] as const) {
      await f.store.orders.items.create({ id, type: 'order', tenantId, customerRef: 'customer-7', createdAt });
    }
    const count = (tenantId: string) => countVelocityByQuery(f.store, { tenantId, customerRef: 'customer-7', createdAt, amountMinor: 100 }, 60);
    assert.deepEqual(await count('iso-a'), { customerOrders: 2, merchantOrders: 2 });
    assert.deepEqual(await count('iso-b'), { customerOrders: 1, merchantOrders: 1 });
  });

  it('should keep the velocity counters of two merchants apart when their customers share a ref', async () => {
    const merchant = async (tenantId: string) => {
      await f.store.merchants.items.create({ id: tenantId, type: 'merchant', tenantId, name: tenantId, active: true, defaultStoreId: `${tenantId}-s` });
      await f.store.merchants.items.create({ id: `${tenantId}-s`, type: 'store', tenantId, name: 's', active: true, commission: { payinBps: 100, payoutBps: 100 } });
    };
    await merchant('iso-c');
    await merchant('iso-d');
    const engine = f.engine();
    const create = (tenantId: string, orderId: string) =>
      engine.createOrder({ tenantId, orderId, direction: 'payin', actor: { role: 'merchant', id: 'm', tenantId }, body: { amount: '100.00', currency: 'RUB', method: 'card', customerRef: 'customer-8' } });
    await create('iso-c', 'c1');
    await create('iso-c', 'c2');
    await create('iso-c', 'c2'); // a repeated create counts nothing
    await create('iso-d', 'd1');
    const window = windowStart(f.clock.now(), 60);
    const counter = (tenantId: string) => readItem<VelocityDoc>(f.store.orders, customerCounterId(tenantId, 'customer-8', window), tenantId);
    assert.equal((await counter('iso-c'))?.count, 2);
    assert.equal((await counter('iso-d'))?.count, 1);
  });
});
