import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { authConfigFromSettings } from '../../../../shared/auth/auth-config';

describe('authConfigFromSettings', () => {
  const base = { JWT_ISSUER: 'i', JWT_AUDIENCE: 'a', API_KEY_PEPPER: 'p'.repeat(16) };

  it('should read local mode with a secret', () => {
    const c = authConfigFromSettings({ ...base, VOUCH_MODE: 'local', LOCAL_JWT_SECRET: 's'.repeat(32) });
    assert.equal(c.mode, 'local');
    assert.equal(c.jwksUrl, undefined);
  });

  it('should require an https JWKS_URL in azure mode', () => {
    assert.throws(() => authConfigFromSettings({ ...base, VOUCH_MODE: 'azure' }), /JWKS_URL/);
    assert.throws(() => authConfigFromSettings({ ...base, VOUCH_MODE: 'azure', JWKS_URL: 'http://idp/keys' }));
    assert.equal(authConfigFromSettings({ ...base, VOUCH_MODE: 'azure', JWKS_URL: 'https://idp/keys' }).mode, 'azure');
  });

  it('should require LOCAL_JWT_SECRET in local mode', () => {
    assert.throws(() => authConfigFromSettings({ ...base, VOUCH_MODE: 'local' }), /LOCAL_JWT_SECRET/);
  });
});
