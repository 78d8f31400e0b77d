import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Container } from '@azure/cosmos';
import { CosmosTenantStore } from '../../../../shared/auth/tenant-store';
import { ManualClock } from '../../../../shared/platform/clock';
import { type CosmosFixture, openCosmos } from '../http/cosmos-fixture';

describe('CosmosTenantStore', () => {
  let cosmos: CosmosFixture;
  let container: Container;
  before(async () => {
    cosmos = await openCosmos();
    container = await cosmos.container('tenants');
  });
  after(() => cosmos.close());

  it('should return undefined for an unknown tenant', async () => {
    assert.equal(await new CosmosTenantStore(container).get('nobody'), undefined);
  });

  it('should serve reads from its cache until the TTL passes', async () => {
    const clock = new ManualClock();
    const store = new CosmosTenantStore(container, { cacheTtlMs: 1000, clock });
    await container.items.upsert({ id: 'acme', tenantId: 'acme', name: 'Acme', status: 'active', apiKeys: [] });
    assert.equal((await store.get('acme'))?.status, 'active');
    await container.items.upsert({ id: 'acme', tenantId: 'acme', name: 'Acme', status: 'suspended', apiKeys: [] });
    assert.equal((await store.get('acme'))?.status, 'active');
    clock.advance(1001);
    assert.equal((await store.get('acme'))?.status, 'suspended');
  });

  it('should refuse to store a document with raw or malformed keys', async () => {
    const store = new CosmosTenantStore(container);
    await assert.rejects(
      store.put({ id: 'x', tenantId: 'x', name: 'X', status: 'active', apiKeys: [{ keyId: 'k', hash: 'vk.x.raw', createdAt: new Date().toISOString() }] }),
    );
  });
});
