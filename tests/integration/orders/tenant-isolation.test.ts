/**
 * Every query names the tenant in its filter, not only in the partition-key option: the local
 * Cosmos server (like a cross-partition query by mistake) would otherwise mix merchants' data.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { countVelocity } from '../../../shared/orders/velocity';
import { openOrdersFixture, type OrdersFixture } from './cosmos-fixture';

describe('tenant isolation of order queries', () => {
  let f: OrdersFixture;
  before(async () => {
    f = await openOrdersFixture('isolation');
  });
  after(async () => f?.close());

  it('should count velocity per merchant even when two merchants share a customerRef', async () => {
    const count = (tenantId: string, orderId: string) =>
      countVelocity(f.store, { tenantId, customerRef: 'customer-7', orderId, amountMinor: 100 }, f.clock, 60, 5);
    for (const tenantId of ['iso-a', 'iso-b']) {
      await f.store.orders.items.create({ id: `${tenantId}-o1`, type: 'order', tenantId, createdAt: f.clock.now().toISOString() });
    }
    await f.store.orders.items.create({ id: 'iso-a-o2', type: 'order', tenantId: 'iso-a', createdAt: f.clock.now().toISOString() });
    assert.deepEqual(await count('iso-a', 'iso-a-o1'), { customerOrders: 1, merchantOrders: 2 });
    assert.deepEqual(await count('iso-a', 'iso-a-o2'), { customerOrders: 2, merchantOrders: 2 });
    assert.deepEqual(await count('iso-b', 'iso-b-o1'), { customerOrders: 1, merchantOrders: 1 });
  });
});
