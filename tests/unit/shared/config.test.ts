import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, parseConfig } from '../../../shared/config';

const local = {
  VOUCH_MODE: 'local',
  AzureWebJobsStorage: 'UseDevelopmentStorage=true',
  COSMOS_ENDPOINT: 'https://127.0.0.1:8081/',
  COSMOS_KEY: 'key',
  TASKHUB_NAME: 'VouchLocal',
  JWT_ISSUER: 'vouch-local',
  JWT_AUDIENCE: 'vouch-api',
  LOCAL_JWT_SECRET: 'x'.repeat(32),
  API_KEY_PEPPER: 'p'.repeat(16),
};

describe('parseConfig', () => {
  it('should accept a complete local configuration and fill defaults', () => {
    const cfg = parseConfig(local);
    assert.equal(cfg.COSMOS_DATABASE, 'vouch');
    assert.equal(cfg.FACE_PROVIDER, 'local');
  });

  it('should name every missing or malformed setting', () => {
    const { COSMOS_KEY: _key, ...rest } = local;
    assert.throws(
      () => parseConfig({ ...rest, COSMOS_ENDPOINT: 'not a url', TASKHUB_NAME: 'bad-name!' }),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        for (const name of ['COSMOS_KEY', 'COSMOS_ENDPOINT', 'TASKHUB_NAME']) assert.match(error.message, new RegExp(name));
        return true;
      },
    );
  });

  it('should require identity-based settings in azure mode', () => {
    assert.throws(() => parseConfig({ ...local, VOUCH_MODE: 'azure' }), /ServiceBusConnection__fullyQualifiedNamespace/);
  });

  it('should require an endpoint when the azure face provider is chosen', () => {
    assert.throws(() => parseConfig({ ...local, FACE_PROVIDER: 'azure' }), /FACE_ENDPOINT/);
  });

  it('should refuse an unresolved Key Vault reference, naming the setting', () => {
    const reference = '@Microsoft.KeyVault(SecretUri=https://kv.vault.azure.net/secrets/api-key-pepper/)';
    assert.throws(
      () => parseConfig({ ...local, API_KEY_PEPPER: reference }),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.match(error.message, /API_KEY_PEPPER: unresolved Key Vault reference/);
        assert.doesNotMatch(error.message, /vault\.azure\.net/, 'the reference itself is not repeated');
        return true;
      },
    );
  });

  it('should name an unresolved reference beside other bad settings', () => {
    assert.throws(
      () => parseConfig({ ...local, JWT_ISSUER: ' @microsoft.keyvault(VaultName=kv;SecretName=issuer)', TASKHUB_NAME: 'bad-name!' }),
      (error: unknown) => error instanceof ConfigError && /JWT_ISSUER: unresolved/.test(error.message) && /TASKHUB_NAME/.test(error.message),
    );
  });
});
