import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import { mutateItem } from '../../../shared/orders/optimistic';
import { readItem } from '../../../shared/orders/store';
import { openOrdersFixture, type OrdersFixture } from './cosmos-fixture';

describe('optimistic read-modify-write against Cosmos', () => {
  let fx: OrdersFixture;
  before(async () => {
    fx = await openOrdersFixture('optimistic');
  });
  after(() => fx.close());

  it('should write from a known current copy without reading, and recover from a stale one with a fresh read', async () => {
    interface Counter { id: string; tenantId: string; n: number; _etag?: string }
    const container = fx.store.merchants;
    await container.items.create({ id: 'counter', tenantId: 't', n: 0 });
    const bump = (c: Counter) => ({ ...c, n: c.n + 1 });
    const first = await mutateItem<Counter>(container, 'counter', 't', bump, 5);
    // The copy the first write returned is current: one attempt, no read.
    const seen: number[] = [];
    const second = await mutateItem<Counter>(container, 'counter', 't', (c) => (seen.push(c.n), bump(c)), 5, first.doc);
    assert.deepEqual(seen, [1]);
    assert.equal(second.doc.n, 2);
    // A stale copy (someone wrote since): its replace is refused (412), the next attempt reads and counts once.
    seen.length = 0;
    const third = await mutateItem<Counter>(container, 'counter', 't', (c) => (seen.push(c.n), bump(c)), 5, first.doc);
    assert.deepEqual(seen, [1, 2]);
    assert.equal(third.doc.n, 3);
    assert.equal((await readItem<Counter>(container, 'counter', 't'))?.n, 3);
  });
});
