/**
 * Keeps the azd template, the postdeploy hook and the Bicep's metric queries in step with the
 * code they name: the blob trigger, the manifest blob name and the custom metric names.
 */
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { manifestBlobName } from '../../../shared/kyc/blob-names';
import { BLOB_CONTAINERS, FUNCTIONS } from '../../../shared/names';
import { METRICS } from '../../../shared/platform/metric-names';
import { parseAuthenticationString } from '../../../shared/platform/telemetry-exporter';

const root = path.resolve(__dirname, '..', '..', '..', '..');
const read = (file: string) => readFileSync(path.join(root, file), 'utf8');
const hook = read('infra/hooks/postdeploy.sh');
const hookVar = (name: string) => new RegExp(`^${name}=(.*)$`, 'm').exec(hook)?.[1];

describe('azd template and postdeploy hook', () => {
  it('should subscribe the manifest blob trigger to manifest blobs only', () => {
    assert.equal(hookVar('FUNCTION_NAME'), FUNCTIONS.kycMediaUploaded);
    assert.equal(hookVar('CONTAINER'), BLOB_CONTAINERS.kycMedia);
    const suffix = hookVar('MANIFEST_SUFFIX') ?? '';
    assert.ok(manifestBlobName('t', 'v').endsWith(suffix) && suffix.startsWith('/'), `suffix ${suffix}`);
    assert.match(hook, /--subject-ends-with "\$MANIFEST_SUFFIX"/);
    assert.match(hook, /--included-event-types Microsoft\.Storage\.BlobCreated/);
  });

  it('should leave the Event Grid subscription out of the main deployment', () => {
    const bicep = ['main.bicep', 'modules/blob-events.bicep'].map((f) => read(`infra/bicep/${f}`)).join('\n');
    assert.doesNotMatch(bicep, /eventSubscriptions/);
    assert.doesNotMatch(bicep, /listKeys\(/);
  });

  it('should give the hook every deployment output it reads', () => {
    const outputs = [...read('infra/bicep/main.bicep').matchAll(/^output (\w+) /gm)].map((m) => m[1]);
    for (const name of ['RESOURCE_GROUP', 'AZURE_FUNCTION_APP_NAME', 'EVENT_GRID_SYSTEM_TOPIC_NAME']) {
      assert.ok(outputs.includes(name), name);
      assert.match(hook, new RegExp(`\\$\\{?${name}`));
    }
    assert.ok(statSync(path.join(root, 'infra/hooks/postdeploy.sh')).mode & 0o100, 'hook is executable');
  });

  it('should point azd at the Bicep, the package output and the hook', () => {
    const yaml = read('azure.yaml');
    assert.match(yaml, /path: infra\/bicep/);
    assert.match(yaml, /host: function/);
    assert.match(yaml, /remoteBuild: false/);
    assert.match(yaml, /dist: dist-package\/app/);
    assert.match(yaml, /run: bash infra\/hooks\/postdeploy\.sh/);
    const params = JSON.parse(read('infra/bicep/main.parameters.json')) as { parameters: Record<string, unknown> };
    assert.deepEqual(Object.keys(params.parameters).slice(0, 2), ['environmentName', 'location']);
  });

  it('should query exactly the custom metric names of shared/platform/metric-names.ts', () => {
    assert.deepEqual(JSON.parse(read('infra/bicep/metric-names.json')), METRICS);
    const bicep = ['alerts', 'workbook'].map((m) => read(`infra/bicep/modules/${m}.bicep`)).join('\n');
    assert.doesNotMatch(bicep, /["']vouch\.[a-z_.]+["']/, 'metric names come from metric-names.json, not literals');
  });

  it('should deploy the Face resource only for the azure face provider, local by default', () => {
    const main = read('infra/bicep/main.bicep');
    assert.match(main, /param faceProvider string = 'local'/);
    assert.match(main, /module face 'modules\/face\.bicep' = if \(faceProvider == 'azure'\)/);
  });

  it('should send telemetry with the app identity to an App Insights that refuses keys', () => {
    assert.match(read('infra/bicep/modules/monitoring.bicep'), /DisableLocalAuth: true/);
    const setting = /name: 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING', value: '([^']+)'/.exec(read('infra/bicep/modules/function-app.bicep'))?.[1];
    assert.equal(setting, 'Authorization=AAD;ClientId=${identityClientId}');
    // The app's exporter reads the same value as the host: the user-assigned identity's client id.
    assert.deepEqual(parseAuthenticationString(setting), { clientId: '${identityClientId}' });
    assert.match(read('infra/bicep/modules/roles.bicep'), /monitoringMetricsPublisher = '3913510d-42f4-4e42-8a64-420c390055eb'/);
  });
});
