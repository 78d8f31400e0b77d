import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ManagedIdentityCredential } from '@azure/identity';
import { exporterOptions, parseAuthenticationString } from '../../../../shared/platform/telemetry-exporter';

const AZURE_CS = 'InstrumentationKey=00000000-0000-4000-8000-000000000001;IngestionEndpoint=https://westeurope-5.in.applicationinsights.azure.com/';
const LOOPBACK_CS = 'InstrumentationKey=00000000-0000-4000-8000-000000000001;IngestionEndpoint=http://127.0.0.1:4999/';

describe('parseAuthenticationString', () => {
  it('should read the user-assigned identity the Functions host setting names', () => {
    assert.deepEqual(parseAuthenticationString('Authorization=AAD;ClientId=11111111-2222-3333-4444-555555555555'), { clientId: '11111111-2222-3333-4444-555555555555' });
    assert.deepEqual(parseAuthenticationString('ClientId=abc; Authorization=aad'), { clientId: 'abc' });
  });

  it('should mean the system-assigned identity without a client id', () => {
    assert.deepEqual(parseAuthenticationString('Authorization=AAD'), {});
  });

  it('should ask for no Entra auth when the setting is absent or names another scheme', () => {
    assert.equal(parseAuthenticationString(undefined), undefined);
    assert.equal(parseAuthenticationString(''), undefined);
    assert.equal(parseAuthenticationString('ClientId=abc'), undefined);
    assert.equal(parseAuthenticationString('garbage'), undefined);
  });
});

describe('exporterOptions', () => {
  it('should authenticate with the managed identity on Azure', () => {
    const options = exporterOptions(AZURE_CS, { VOUCH_MODE: 'azure', APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'Authorization=AAD;ClientId=abc' });
    assert.ok(options.credential instanceof ManagedIdentityCredential);
    assert.equal(options.httpClient, undefined);
    assert.equal(options.disableOfflineStorage, false);
  });

  it('should send no credential on Azure when the setting asks for none (local auth on)', () => {
    assert.equal(exporterOptions(AZURE_CS, { VOUCH_MODE: 'azure' }).credential, undefined);
  });

  it('should never use a managed identity in local mode, even with the setting copied over', () => {
    const options = exporterOptions(LOOPBACK_CS, { VOUCH_MODE: 'local', APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'Authorization=AAD;ClientId=abc' });
    assert.equal(options.credential, undefined);
    assert.ok(options.httpClient, 'a loopback endpoint is reached over plain HTTP');
    assert.equal(options.disableOfflineStorage, true);
  });

  it('should keep HTTPS for a remote endpoint in local mode', () => {
    const options = exporterOptions(AZURE_CS, { VOUCH_MODE: 'local' });
    assert.equal(options.httpClient, undefined);
  });
});
