import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { issueApiKey, matchApiKey, parseApiKey, revokeApiKey } from '../../../../shared/auth/api-key';
import type { Tenant } from '../../../../shared/auth/tenant';
import type { DomainError } from '../../../../shared/errors';

const PEPPER = 'pepper-for-tests-0123456789';
const blank = (tenantId: string): Tenant => ({ id: tenantId, tenantId, name: tenantId, status: 'active', apiKeys: [] });

describe('api keys', () => {
  it('should store only a keyed hash, never the key', () => {
    const { tenant, apiKey } = issueApiKey(blank('acme'), PEPPER, new Date());
    assert.match(apiKey, /^vk\.acme\.[0-9a-f]{12}\.[A-Za-z0-9_-]{43}$/);
    const stored = JSON.stringify(tenant);
    assert.ok(!stored.includes(apiKey.split('.')[3] ?? 'missing'));
    assert.deepEqual(parseApiKey(apiKey), { tenantId: 'acme', keyId: tenant.apiKeys[0]?.keyId });
  });

  it('should keep two keys active across a rotation and refuse a third until one is revoked', () => {
    const first = issueApiKey(blank('acme'), PEPPER, new Date('2026-01-01T00:00:00Z'));
    const second = issueApiKey(first.tenant, PEPPER, new Date('2026-02-01T00:00:00Z'), { storeId: 'shop-1' });
    assert.ok(matchApiKey(second.tenant, first.apiKey, PEPPER));
    assert.equal(matchApiKey(second.tenant, second.apiKey, PEPPER)?.storeId, 'shop-1');
    assert.throws(() => issueApiKey(second.tenant, PEPPER, new Date('2026-03-01T00:00:00Z')), (e: DomainError) => e.code === 'api-key-limit-reached' && e.status === 409);
    const revoked = revokeApiKey(second.tenant, first.keyId);
    assert.equal(matchApiKey(revoked, first.apiKey, PEPPER), undefined);
    const third = issueApiKey(revoked, PEPPER, new Date('2026-03-01T00:00:00Z'));
    assert.equal(third.tenant.apiKeys.length, 2);
    assert.ok(matchApiKey(third.tenant, second.apiKey, PEPPER));
    assert.ok(matchApiKey(third.tenant, third.apiKey, PEPPER));
  });

  it('should reject a tampered key, a wrong pepper and another tenant\'s key', () => {
    const acme = issueApiKey(blank('acme'), PEPPER, new Date());
    const globex = issueApiKey(blank('globex'), PEPPER, new Date());
    const tampered = acme.apiKey.slice(0, -1) + (acme.apiKey.endsWith('A') ? 'B' : 'A');
    assert.equal(matchApiKey(acme.tenant, tampered, PEPPER), undefined);
    assert.equal(matchApiKey(acme.tenant, acme.apiKey, 'another-pepper-0123456789'), undefined);
    assert.equal(matchApiKey(acme.tenant, globex.apiKey, PEPPER), undefined);
  });

  it('should not parse strings that are not Vouch keys', () => {
    for (const s of ['', 'vk.acme', 'vk.ACME.0123456789ab.' + 'a'.repeat(43), 'vk.acme.0123456789ab.' + 'a'.repeat(42), 'Bearer x']) {
      assert.equal(parseApiKey(s), undefined, s);
    }
  });
});
