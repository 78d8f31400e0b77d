/**
 * Onboarding through the local runtime: a platform admin creates a tenant, mints a key the tenant
 * then uses, rotates to a second key (a third is refused), revokes the first (401 at once), and
 * every step is in the platform tenant's audit trail. Merchant admins are refused.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { AuditEntryView } from '../../../shared/audit/audit-entry';
import { type E2eHost, startE2eHost } from '../../support/e2e-host';

describe('tenant and API-key lifecycle end to end', () => {
  let app: E2eHost;
  let admin: string;

  before(async () => {
    app = await startE2eHost();
    admin = await app.adminToken();
  });
  after(async () => app?.stop());

  const post = (route: string, body: unknown, token = admin) =>
    app.call(route, { method: 'POST', token, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  /** Any merchant route answers 404 for an unknown verification once the key is good, 401 when it is not. */
  const useKey = async (key: string) => (await app.call(`/api/v1/verifications/${randomUUID()}`, { apiKey: key })).status;

  it('it should create a tenant, rotate its keys and refuse a revoked key', async () => {
    const createdTenant = await post('/api/v1/admin/tenants', { id: 'acme-shop', name: 'Acme Shop' });
    assert.equal(createdTenant.status, 201, await createdTenant.clone().text());
    assert.deepEqual(await createdTenant.json(), { id: 'acme-shop', name: 'Acme Shop', status: 'active', createdAt: (await (await app.call('/api/v1/admin/tenants/acme-shop', { token: admin })).json() as { createdAt: string }).createdAt, apiKeys: [] });
    assert.equal((await post('/api/v1/admin/tenants', { id: 'acme-shop', name: 'Again' })).status, 409);
    const badId = await post('/api/v1/admin/tenants', { id: 'Acme Shop!', name: 'x' });
    assert.equal(badId.status, 400);
    assert.equal(((await badId.json()) as { type: string }).type, 'urn:vouch:problem:validation-failed');

    const first = await post('/api/v1/admin/tenants/acme-shop/api-keys', {});
    assert.equal(first.status, 201);
    assert.equal(first.headers.get('cache-control'), 'no-store');
    const key1 = (await first.json()) as { keyId: string; key: string };
    assert.match(key1.key, /^vk\.acme-shop\./);
    assert.equal(await useKey(key1.key), 404, 'the new key works');

    const second = await post('/api/v1/admin/tenants/acme-shop/api-keys', { storeId: 'shop-2' });
    assert.equal(second.status, 201);
    const key2 = (await second.json()) as { keyId: string; key: string; storeId: string };
    assert.equal(key2.storeId, 'shop-2');
    assert.equal(await useKey(key1.key), 404, 'both keys are active during a rotation');
    assert.equal(await useKey(key2.key), 404);

    const third = await post('/api/v1/admin/tenants/acme-shop/api-keys', {});
    assert.equal(third.status, 409);
    assert.equal(((await third.json()) as { type: string }).type, 'urn:vouch:problem:api-key-limit-reached');

    const listed = (await (await app.call('/api/v1/admin/tenants/acme-shop/api-keys', { token: admin })).json()) as { items: Record<string, unknown>[] };
    assert.deepEqual(listed.items.map((k) => k.keyId).sort(), [key1.keyId, key2.keyId].sort());
    assert.ok(listed.items.every((k) => !('hash' in k) && !('key' in k)), 'metadata only');

    const revoked = await app.call(`/api/v1/admin/tenants/acme-shop/api-keys/${key1.keyId}`, { method: 'DELETE', token: admin });
    assert.equal(revoked.status, 204);
    assert.equal(await useKey(key1.key), 401, 'a revoked key answers 401 at once');
    assert.equal(await useKey(key2.key), 404, 'the other key still works');
    assert.equal((await app.call(`/api/v1/admin/tenants/acme-shop/api-keys/${key1.keyId}`, { method: 'DELETE', token: admin })).status, 404);

    const tenants = (await (await app.call('/api/v1/admin/tenants', { token: admin })).json()) as { items: { id: string }[] };
    assert.ok(tenants.items.some((t) => t.id === 'acme-shop'));

    const trail = (await (await app.call('/api/v1/audit?limit=50', { token: admin })).json()) as { items: AuditEntryView[] };
    const actions = trail.items.filter((e) => e.actor === 'user:e2e-admin').map((e) => `${e.action}:${e.outcome}`);
    for (const expected of ['tenant.create:success', 'tenant.create:failed', 'apikey.create:success', 'apikey.create:failed', 'apikey.revoke:success', 'apikey.revoke:failed']) {
      assert.ok(actions.includes(expected), `${expected} in ${actions.join(', ')}`);
    }
    assert.ok(!JSON.stringify(trail).includes(key2.key.split('.')[3] ?? '-'), 'no secret in the trail');
  });

  it('it should answer 413 to a JSON body over MAX_JSON_BODY_BYTES', async () => {
    const limit = Number(app.settings.MAX_JSON_BODY_BYTES);
    const tooBig = await post('/api/v1/admin/tenants', { id: 'big-shop', name: 'x'.repeat(100 * 1024) });
    assert.equal(tooBig.status, 413);
    const problem = (await tooBig.json()) as { type: string; maxBytes: number };
    assert.deepEqual(problem.type, 'urn:vouch:problem:payload-too-large');
    assert.equal(problem.maxBytes, limit);
  });

  it('it should answer 429 to a source past its failed-credential limit, even with a good key, and not to others', async () => {
    // The platform appends the caller's address as the last X-Forwarded-For hop; the first is forged.
    const from = (ip: string, apiKey: string) =>
      app.call(`/api/v1/verifications/${randomUUID()}`, { apiKey, headers: { 'x-forwarded-for': `10.9.9.9, ${ip}:40000` } });
    const statuses: number[] = [];
    for (let i = 0; i < 21; i++) statuses.push((await from('198.51.100.20', `wrong-key-${i}`)).status);
    assert.deepEqual(statuses.slice(0, 20), Array(20).fill(401));
    assert.equal(statuses[20], 429);
    const blocked = await from('198.51.100.20', 'demo-a-key');
    assert.equal(blocked.status, 429);
    assert.ok(Number(blocked.headers.get('retry-after')) >= 1);
    assert.equal((await from('198.51.100.21', 'wrong-key')).status, 401, 'another source is not blocked');
    assert.equal((await from('198.51.100.21', 'demo-a-key')).status, 404);
  });

  it('it should refuse a merchant tenant\'s admin and an API key', async () => {
    assert.equal((await post('/api/v1/admin/tenants', { id: 'evil', name: 'Evil' }, await app.adminToken('demo-a'))).status, 403);
    const byKey = await app.call('/api/v1/admin/tenants', { method: 'POST', apiKey: 'demo-a-key', headers: { 'content-type': 'application/json' }, body: '{"id":"evil","name":"Evil"}' });
    assert.equal(byKey.status, 403);
    assert.equal((await post('/api/v1/admin/tenants', { id: 'platform', name: 'Not again' })).status, 400);
  });
});
