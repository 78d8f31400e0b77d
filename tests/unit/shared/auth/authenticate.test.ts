import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { HttpRequest } from '@azure/functions';
import { issueApiKey, registerApiKey } from '../../../../shared/auth/api-key';
import { type Authenticator, createAuthenticator } from '../../../../shared/auth/authenticate';
import { createJwtVerifier } from '../../../../shared/auth/jwt';
import { signLocalToken } from '../../../../shared/auth/local-token';
import type { Tenant } from '../../../../shared/auth/tenant';
import { CosmosTenantStore } from '../../../../shared/auth/tenant-store';
import { DomainError } from '../../../../shared/errors';
import { type CosmosFixture, openCosmos } from '../http/cosmos-fixture';

const PEPPER = 'pepper-for-tests-0123456789';
const SECRET = 'q'.repeat(40);
const blank = (tenantId: string, status: Tenant['status'] = 'active'): Tenant => ({ id: tenantId, tenantId, name: tenantId, status, apiKeys: [] });
const withHeaders = (headers: Record<string, string>) => new HttpRequest({ method: 'GET', url: 'http://h/api/x', headers });

async function rejectsWith(p: Promise<unknown>, status: number) {
  await assert.rejects(p, (e: unknown) => e instanceof DomainError && e.status === status);
}

describe('createAuthenticator', () => {
  let cosmos: CosmosFixture;
  let authenticate: Authenticator;
  const keys: Record<string, string> = {};

  before(async () => {
    cosmos = await openCosmos();
    const store = new CosmosTenantStore(await cosmos.container('tenants'));
    const acme1 = issueApiKey(blank('acme'), PEPPER, new Date('2026-01-01T00:00:00Z'));
    const acme2 = issueApiKey(acme1.tenant, PEPPER, new Date('2026-02-01T00:00:00Z'));
    const globex = issueApiKey(blank('globex'), PEPPER, new Date());
    const frozen = issueApiKey(blank('frozen', 'suspended'), PEPPER, new Date());
    const demo = registerApiKey(blank('demo'), 'demo-key', PEPPER, new Date());
    for (const t of [acme2.tenant, globex.tenant, frozen.tenant, demo.tenant]) await store.put(t);
    await store.indexKeyHash(demo.hash, 'demo');
    Object.assign(keys, { acme1: acme1.apiKey, acme2: acme2.apiKey, globex: globex.apiKey, frozen: frozen.apiKey });
    authenticate = createAuthenticator({
      tenants: store,
      verifyJwt: createJwtVerifier({ mode: 'local', jwtIssuer: 'i', jwtAudience: 'a', localJwtSecret: SECRET }),
      apiKeyPepper: PEPPER,
    });
  });
  after(() => cosmos.close());

  it('should accept both active keys of a tenant during rotation', async () => {
    assert.equal((await authenticate(withHeaders({ 'x-api-key': keys.acme1 ?? '' }))).tenantId, 'acme');
    const second = await authenticate(withHeaders({ 'x-api-key': keys.acme2 ?? '' }));
    assert.equal(second.kind, 'apiKey');
    assert.equal(second.tenantId, 'acme');
  });

  it('should accept a registered key that does not name its tenant, through its hash index', async () => {
    assert.equal((await authenticate(withHeaders({ 'x-api-key': 'demo-key' }))).tenantId, 'demo');
    await rejectsWith(authenticate(withHeaders({ 'x-api-key': 'demo-key2' })), 401);
  });

  it('should reject a wrong key with 401', async () => {
    const wrong = (keys.acme1 ?? '').replace(/.{4}$/, 'AAAA');
    await rejectsWith(authenticate(withHeaders({ 'x-api-key': wrong })), 401);
    await rejectsWith(authenticate(withHeaders({ 'x-api-key': 'garbage' })), 401);
    await rejectsWith(authenticate(withHeaders({ 'x-api-key': 'vk.nosuch.0123456789ab.' + 'a'.repeat(43) })), 401);
  });

  it('should keep tenants apart: a key relabelled with another tenant id fails', async () => {
    const globexSecret = (keys.globex ?? '').split('.').slice(2).join('.');
    await rejectsWith(authenticate(withHeaders({ 'x-api-key': `vk.acme.${globexSecret}` })), 401);
    assert.equal((await authenticate(withHeaders({ 'x-api-key': keys.globex ?? '' }))).tenantId, 'globex');
  });

  it('should refuse a suspended tenant with 403', async () => {
    await rejectsWith(authenticate(withHeaders({ 'x-api-key': keys.frozen ?? '' })), 403);
  });

  it('should accept a bearer token and reject a missing or malformed Authorization', async () => {
    const token = await signLocalToken({ secret: SECRET, issuer: 'i', audience: 'a', subject: 'u1', tenantId: 'acme', roles: ['teamlead'] });
    assert.deepEqual(await authenticate(withHeaders({ authorization: `Bearer ${token}` })), {
      kind: 'user', tenantId: 'acme', subject: 'u1', roles: ['teamlead'],
    });
    await rejectsWith(authenticate(withHeaders({})), 401);
    await rejectsWith(authenticate(withHeaders({ authorization: `Basic ${token}` })), 401);
  });
});
