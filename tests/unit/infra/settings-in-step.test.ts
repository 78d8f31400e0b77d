/**
 * Keeps the three places that name settings, queues and containers in step:
 * the code, local.settings.sample.json and the Bicep templates.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { APP_SETTING_NAMES } from '../../../shared/config';
import { COSMOS_CONTAINERS, QUEUES } from '../../../shared/names';
import { PARTITION_KEYS } from '../../../shared/platform/cosmos-containers';

const root = path.resolve(__dirname, '..', '..', '..', '..');
const read = (file: string) => readFileSync(path.join(root, file), 'utf8');
const sample = JSON.parse(read('local.settings.sample.json')) as { Values: Record<string, string> };
const sampleNames = Object.keys(sample.Values);
const mainBicep = read('infra/bicep/main.bicep');
const bicepAppSettings = [...(/appSettings: \{([\s\S]*?)\n {4}\}/.exec(mainBicep)?.[1] ?? '').matchAll(/^\s+(\w+):/gm)].map((m) => m[1]);

/** Settings that only the local runtime uses; Azure has managed identity and the platform instead. */
const LOCAL_ONLY = ['FUNCTIONS_WORKER_RUNTIME', 'AzureWebJobsStorage', 'COSMOS_KEY', 'LOCAL_JWT_SECRET', 'LOCAL_TENANTS', 'LOCAL_SERVICE_BUS_QUEUES', 'APPLICATIONINSIGHTS_CONNECTION_STRING', 'FACE_API_KEY', 'MAX_JSON_BODY_BYTES'];

/**
 * Settings that Bicep sets for the Functions host or an Azure SDK, not read by our config:
 * identity-based connections (`<connection>__credential`, `__clientId`) and the client id that
 * `DefaultAzureCredential` uses to pick the user-assigned identity.
 */
const HOST_SETTINGS = ['AzureWebJobsStorage__credential', 'AzureWebJobsStorage__clientId', 'ServiceBusConnection__credential', 'ServiceBusConnection__clientId', 'AZURE_CLIENT_ID'];

describe('settings, queues and containers in step', () => {
  it('should list every setting the app reads in local.settings.sample.json', () => {
    assert.deepEqual(APP_SETTING_NAMES.filter((n) => !sampleNames.includes(n)), []);
  });

  it('should give Azure every sample setting that is not local-only', () => {
    assert.ok(bicepAppSettings.length > 5, 'parsed the Bicep app settings');
    const missing = sampleNames.filter((n) => !LOCAL_ONLY.includes(n) && !bicepAppSettings.includes(n));
    assert.deepEqual(missing, []);
  });

  it('should only set settings in Bicep that the app knows', () => {
    const known = [...sampleNames, ...HOST_SETTINGS];
    assert.deepEqual(bicepAppSettings.filter((n) => n && !known.includes(n)), []);
  });

  it('should declare exactly the queues the code uses', () => {
    const declared = Object.keys(JSON.parse(read('infra/queues.json')) as object).sort();
    assert.deepEqual(declared, Object.values(QUEUES).sort());
    assert.match(read('infra/bicep/modules/service-bus.bicep'), /loadJsonContent\('\.\.\/\.\.\/queues\.json'\)/);
  });

  it('should declare every Cosmos container with the same partition key', () => {
    const cosmosBicep = read('infra/bicep/modules/cosmos.bicep');
    const declared = Object.fromEntries([...cosmosBicep.matchAll(/\{ id: '([\w-]+)', pk: '([\w/]+)'/g)].map((m) => [m[1], m[2]]));
    const expected = Object.fromEntries(Object.values(COSMOS_CONTAINERS).map((id) => [id, PARTITION_KEYS[id]]));
    assert.deepEqual(declared, expected);
  });
});
