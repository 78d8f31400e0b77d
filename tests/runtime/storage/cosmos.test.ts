import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { startCosmos } from '../../../runtime/storage/cosmos';
import { freePorts } from '../../../runtime/storage/free-ports';
import { testCosmosClient } from '../../support/test-cosmos';

describe('local Cosmos server persistence', () => {
  it('should keep databases, containers, documents and their ETags across a restart', async () => {
    const stateFile = path.join(mkdtempSync(path.join(os.tmpdir(), 'vouch-cosmos-')), 'state.json');
    const port = await freePorts(1);
    let cosmos = await startCosmos({ port, stateFile });
    let { client, agent } = testCosmosClient(cosmos.endpoint, cosmos.key);
    const { database } = await client.databases.createIfNotExists({ id: 'keep' });
    const { container } = await database.containers.createIfNotExists({ id: 'orders', partitionKey: { paths: ['/tenantId'] } });
    const created = await container.items.create({ id: 'o1', tenantId: 't1', status: 'new' });
    await container.items.create({ id: 'o2', tenantId: 't2', status: 'new' });
    agent.destroy();
    await cosmos.stop(); // SIGTERM: the child saves its state before exiting

    cosmos = await startCosmos({ port, stateFile });
    ({ client, agent } = testCosmosClient(cosmos.endpoint, cosmos.key));
    try {
      const again = client.database('keep').container('orders');
      const { resource } = await again.item('o1', 't1').read<{ status: string; _etag: string }>();
      assert.equal(resource?.status, 'new');
      assert.equal(resource?._etag, created.resource?._etag);
      const replaced = await again.item('o1', 't1').replace({ id: 'o1', tenantId: 't1', status: 'assigned' }, {
        accessCondition: { type: 'IfMatch', condition: created.resource?._etag ?? '' },
      });
      assert.equal(replaced.statusCode, 200);
      const { resources } = await again.items.query('SELECT c.id FROM c ORDER BY c.id').fetchAll();
      assert.deepEqual(resources.map((r: { id: string }) => r.id), ['o1', 'o2']);
      await again.items.create({ id: 'o3', tenantId: 't3' }); // ids keep counting after the restored ones
      assert.equal((await again.items.readAll().fetchAll()).resources.length, 3);
    } finally {
      agent.destroy();
      await cosmos.stop();
    }
  });
});
