import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import { COSMOS_CONTAINERS } from '../../../shared/names';
import { ensureOrderContainers, ORDER_PARTITION_KEYS } from '../../../shared/orders/store';
import { openOrdersFixture, type OrdersFixture } from './cosmos-fixture';

describe('order containers', () => {
  let fx: OrdersFixture;
  before(async () => {
    fx = await openOrdersFixture('store');
  });
  after(() => fx.close());

  it('should create every container with its partition key, idempotently', async () => {
    await ensureOrderContainers(fx.db);
    for (const [id, path] of Object.entries(ORDER_PARTITION_KEYS)) {
      const { resource } = await fx.db.container(id).read();
      assert.deepEqual(resource?.partitionKey?.paths, [path], id);
    }
  });

  it('should refuse a container that exists with another partition key', async () => {
    const other = fx.db.client.database(`${fx.db.id}-x`);
    await fx.db.client.databases.createIfNotExists({ id: other.id });
    await other.containers.createIfNotExists({ id: COSMOS_CONTAINERS.balances, partitionKey: { paths: ['/tenantId'] } });
    await assert.rejects(ensureOrderContainers(other), /balances is partitioned by \/tenantId; the order engine needs \/accountId/);
    await other.delete();
  });
});
