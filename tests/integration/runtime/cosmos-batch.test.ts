/**
 * The local Cosmos server's transactional batch (runtime/storage/cosmos-batch.ts) behaves as Azure
 * Cosmos DB's: one partition, in order, all or nothing, the failing operation's status with 424 for
 * the others, Patch with a condition.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { Container } from '@azure/cosmos';
import { runBatch } from '../../../shared/orders/cosmos-batch';
import { openTestCosmos, type TestCosmos } from '../../support/test-cosmos';

describe('transactional batch on the local Cosmos server', () => {
  let cosmos: TestCosmos;
  let container: Container;
  const dbId = `batch-${randomUUID().slice(0, 8)}`;
  const read = async (id: string) => (await container.item(id, 'p').read<{ n?: number; count?: number }>()).resource;

  before(async () => {
    cosmos = await openTestCosmos();
    const { database } = await cosmos.client.databases.createIfNotExists({ id: dbId });
    ({ container } = await database.containers.createIfNotExists({ id: 'docs', partitionKey: { paths: ['/pk'] } }));
    await container.items.create({ id: 'a', pk: 'p', n: 1 });
    await container.items.create({ id: 'counter', pk: 'p', count: 4 });
  });
  after(async () => {
    await cosmos.client.database(dbId).delete().catch(() => undefined);
    await cosmos.close();
  });

  it('should commit every operation and answer the written documents', async () => {
    const a = (await container.item('a', 'p').read<{ _etag: string }>()).resource!;
    const result = await runBatch(container, 'p', [
      { operationType: 'Create', resourceBody: { id: 'b', pk: 'p', n: 2 } },
      { operationType: 'Replace', id: 'a', resourceBody: { id: 'a', pk: 'p', n: 10 }, ifMatch: a._etag },
      { operationType: 'Patch', id: 'counter', resourceBody: { operations: [{ op: 'incr', path: '/count', value: 1 }], condition: 'from c where c.count < 5' } },
    ]);
    assert.equal(result.ok, true);
    assert.deepEqual([(await read('a'))?.n, (await read('b'))?.n, (await read('counter'))?.count], [10, 2, 5]);
    assert.equal((result.docs[2] as { count: number }).count, 5);
  });

  it('should write nothing when a later operation fails, and name the one that failed', async () => {
    const before = (await container.item('a', 'p').read<{ _etag: string }>()).resource!;
    for (const [failing, status] of [
      [{ operationType: 'Create', resourceBody: { id: 'b', pk: 'p' } }, 409],
      [{ operationType: 'Replace', id: 'a', resourceBody: { id: 'a', pk: 'p', n: 99 }, ifMatch: '"stale"' }, 412],
      [{ operationType: 'Patch', id: 'missing', resourceBody: { operations: [{ op: 'incr', path: '/count', value: 1 }] } }, 404],
      [{ operationType: 'Patch', id: 'counter', resourceBody: { operations: [{ op: 'incr', path: '/count', value: 1 }], condition: 'from c where c.count < 5' } }, 412],
      [{ operationType: 'Create', resourceBody: { id: 'elsewhere', pk: 'q' } }, 400],
    ] as const) {
      const result = await runBatch(container, 'p', [
        { operationType: 'Create', resourceBody: { id: 'c', pk: 'p' } },
        { operationType: 'Patch', id: 'counter', resourceBody: { operations: [{ op: 'incr', path: '/count', value: 100 }] } },
        { operationType: 'Replace', id: 'a', resourceBody: { id: 'a', pk: 'p', n: 50 } },
        failing as never,
      ]);
      assert.deepEqual([result.ok, result.failedAt, result.status], [false, 3, status], JSON.stringify(failing));
      await assert.rejects(container.item('c', 'p').read().then((r) => (r.resource ? Promise.resolve() : Promise.reject(new Error('absent')))));
      assert.equal((await read('counter'))?.count, 5, 'the increment was rolled back');
      const a = (await container.item('a', 'p').read<{ n: number; _etag: string }>()).resource!;
      assert.deepEqual([a.n, a._etag], [10, before._etag], 'the replace was rolled back, ETag and all');
    }
  });
});
