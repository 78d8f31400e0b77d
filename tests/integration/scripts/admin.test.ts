/**
 * `npm run admin` against the suite's Cosmos server in local mode: the same lifecycle as the HTTP
 * routes, through the same core, with the minted key accepted by the app's authenticator and the
 * CLI's actions in the platform tenant's audit trail.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { HttpRequest } from '@azure/functions';
import { createAuthenticator } from '../../../shared/auth/authenticate';
import { createJwtVerifier } from '../../../shared/auth/jwt';
import { CosmosTenantStore } from '../../../shared/auth/tenant-store';
import { COSMOS_CONTAINERS } from '../../../shared/names';
import { runAdmin, UsageError } from '../../../scripts/admin';
import { openTestCosmos, type TestCosmos } from '../../support/test-cosmos';

const root = path.resolve(__dirname, '..', '..', '..', '..');

describe('npm run admin (local)', () => {
  let cosmos: TestCosmos;
  const database = `admin-cli-${randomBytes(4).toString('hex')}`;
  const pepper = 'cli-test-pepper-0123456789';
  const env = (): NodeJS.ProcessEnv => ({ VOUCH_MODE: 'local', COSMOS_ENDPOINT: endpoint, COSMOS_KEY: process.env.COSMOS_KEY ?? 'local-cosmos-key', COSMOS_DATABASE: database, API_KEY_PEPPER: pepper });
  let endpoint = '';
  const admin = (...argv: string[]) => runAdmin([...argv, '--actor', 'ops-test'], env(), root);

  before(async () => {
    cosmos = await openTestCosmos();
    endpoint = cosmos.endpoint;
  });
  after(async () => cosmos?.close());

  it('it should create a tenant, mint keys the app accepts, and revoke one', async () => {
    assert.deepEqual(await admin('tenants', 'create', 'cli-shop', '--name', 'CLI Shop').then((t) => (t as { id: string }).id), 'cli-shop');
    await assert.rejects(admin('tenants', 'create', 'cli-shop', '--name', 'Again'), (e: { code?: string }) => e.code === 'tenant-exists');
    const first = (await admin('keys', 'create', 'cli-shop')) as { keyId: string; key: string };
    const second = (await admin('keys', 'create', 'cli-shop', '--store', 'north')) as { keyId: string; key: string };
    await assert.rejects(admin('keys', 'create', 'cli-shop'), (e: { code?: string }) => e.code === 'api-key-limit-reached');

    const tenants = new CosmosTenantStore(cosmos.client.database(database).container(COSMOS_CONTAINERS.tenants), { cacheTtlMs: 0 });
    const authenticate = createAuthenticator({ tenants, apiKeyPepper: pepper, verifyJwt: createJwtVerifier({ mode: 'local', jwtIssuer: 'i', jwtAudience: 'a', localJwtSecret: 'x'.repeat(32) }) });
    const withKey = (key: string) => new HttpRequest({ url: 'http://localhost/api', method: 'GET', headers: { 'x-api-key': key } });
    assert.deepEqual(await authenticate(withKey(second.key)), { kind: 'apiKey', tenantId: 'cli-shop', keyId: second.keyId, storeId: 'north' });

    await admin('keys', 'revoke', 'cli-shop', first.keyId);
    await assert.rejects(authenticate(withKey(first.key)), (e: { status?: number }) => e.status === 401);
    assert.deepEqual(((await admin('keys', 'list', 'cli-shop')) as { items: { keyId: string }[] }).items.map((k) => k.keyId), [second.keyId]);

    const { resources } = await cosmos.client.database(database).container(COSMOS_CONTAINERS.audit).items
      .query({ query: 'SELECT c.action, c.outcome, c.actor FROM c WHERE c.tenantId = "platform"' }).fetchAll();
    const actions = resources.map((r: { action: string; outcome: string }) => `${r.action}:${r.outcome}`).sort();
    assert.deepEqual(actions, ['apikey.create:failed', 'apikey.create:success', 'apikey.create:success', 'apikey.revoke:success', 'tenant.create:failed', 'tenant.create:success']);
    assert.ok(resources.every((r: { actor: string }) => r.actor === 'cli:ops-test'));
  });

  it("it should register a tenant's default webhook endpoint, its secret shown once, audited", async () => {
    await admin('tenants', 'create', 'hook-shop', '--name', 'Hook Shop');
    const created = (await admin('webhooks', 'create', 'hook-shop', '--url', 'https://127.0.0.1:8443/vouch', '--events', 'order.status_changed')) as { id: string; secret?: string; eventTypes: string[] };
    assert.match(created.secret ?? '', /^whsec_/);
    assert.deepEqual(created.eventTypes, ['order.status_changed']);
    const listed = (await admin('webhooks', 'list', 'hook-shop')) as { items: { id: string; secret?: string }[] };
    assert.deepEqual(listed.items.map((e) => [e.id, e.secret]), [[created.id, undefined]]);
    await assert.rejects(admin('webhooks', 'create', 'hook-shop', '--url', 'https://127.0.0.1:8443/x', '--events', 'nope'), UsageError);
    await assert.rejects(admin('webhooks', 'create', 'no-such-shop', '--url', 'https://127.0.0.1:8443/x'), (e: { code?: string }) => e.code === 'not-found');
    const { resources } = await cosmos.client.database(database).container(COSMOS_CONTAINERS.audit).items
      .query({ query: 'SELECT c.outcome, c.targetId FROM c WHERE c.tenantId = "platform" AND c.action = "webhook.create"' }).fetchAll();
    assert.deepEqual(resources.map((r: { outcome: string; targetId: string }) => `${r.targetId}:${r.outcome}`).sort(), ['hook-shop:success', 'no-such-shop:failed']);
  });

  it('it should explain its usage and refuse a deployed app without --azure', async () => {
    await assert.rejects(admin('tenants', 'delete', 'x'), UsageError);
    await assert.rejects(runAdmin(['tenants', 'list'], { ...env(), VOUCH_MODE: 'azure' }, root), /--azure/);
    await assert.rejects(runAdmin(['tenants', 'list', '--azure'], { API_KEY_PEPPER: pepper }, root), /COSMOS_ENDPOINT/);
  });
});
