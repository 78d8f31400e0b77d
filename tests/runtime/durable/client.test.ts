import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import path from 'node:path';
import { startHost } from '../../../runtime/index';
import { memoryHostLog } from '../../../runtime/host-log';
import { httpExtension } from '../../../runtime/triggers/http';
import { durableExtension } from '../../../runtime/durable/index';
import { fixture, tempAppDir, useAzurite, uniqueSuffix, type TestStorage } from '../local-storage';
import { startDurableHost, uniqueHub, type DurableTestHost } from './durable-host';

/** The real durable-functions client (`df.getClient`) inside app.http functions, against the local API. */
describe('durable client binding', () => {
  let storage: TestStorage;
  let t: DurableTestHost;

  before(async () => {
    storage = await useAzurite();
    t = await startDurableHost(storage);
  });
  after(async () => {
    await t?.host.stop();
    await storage?.stop();
  });

  it('should start with an explicit id, report status, raise events and reject a duplicate start', async () => {
    const instanceId = `client-${uniqueSuffix()}`;
    const started = await fetch(`${t.host.origin}/api/orchestrators/Approval/${instanceId}`, { method: 'POST', body: '{"x":1}' });
    assert.equal(started.status, 202);
    const payload = (await started.json()) as Record<string, string>;
    assert.equal(payload['id'], instanceId);
    // createCheckStatusResponse hands out URLs on this host that answer.
    assert.ok(payload['statusQueryGetUri']?.startsWith(`${t.host.origin}/runtime/webhooks/durabletask/instances/${instanceId}`));
    assert.equal(started.headers.get('location'), payload['statusQueryGetUri']);
    const webhook = await fetch(payload['statusQueryGetUri'] ?? '');
    assert.equal(webhook.status, 202);

    const duplicate = await fetch(`${t.host.origin}/api/orchestrators/Approval/${instanceId}`, { method: 'POST', body: '' });
    assert.equal(duplicate.status, 500);
    assert.match(((await duplicate.json()) as { error: string }).error, /409|already exists/);

    await t.waitFor(instanceId, ['Running']);
    const status = (await (await fetch(`${t.host.origin}/api/status/${instanceId}`)).json()) as Record<string, unknown>;
    assert.equal(status['runtimeStatus'], 'Running');
    assert.equal(status['name'], 'Approval');
    assert.deepEqual(status['input'], { x: 1 });
    assert.equal(status['customStatus'], 'waiting');

    for (const value of ['yes', 'really']) {
      const raised = await fetch(`${t.host.origin}/api/events/${instanceId}/Approve`, {
        method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(value),
      });
      assert.equal(raised.status, 202);
    }
    const done = await t.waitFor(instanceId);
    assert.deepEqual(done.output, ['yes', 'really']);
    assert.equal((await fetch(payload['statusQueryGetUri'] ?? '')).status, 200);

    const query = (await (await fetch(`${t.host.origin}/api/query?prefix=${instanceId}`)).json()) as string[];
    assert.deepEqual(query, [instanceId]);
  });

  it('should reject getStatus of an unknown instance', async () => {
    const response = await fetch(`${t.host.origin}/api/status/nobody-${uniqueSuffix()}`);
    assert.equal(response.status, 500);
  });

  it('should take the hub from host.json %SETTING% and hand out a binding the client accepts', async () => {
    const hub = uniqueHub();
    const appDir = tempAppDir({ 'host.json': { version: '2.0', extensions: { durableTask: { hubName: '%TASKHUB_NAME%' } } } });
    const host = await startHost({
      appDir, main: fixture('../durable/fixtures/durable-app'), port: 0, log: memoryHostLog(),
      settings: { AzureWebJobsStorage: storage.connectionString, TASKHUB_NAME: hub },
      extensions: [httpExtension(), durableExtension({ hostJsonPath: path.join(appDir, 'host.json'), pollIntervalMs: 50 })],
    });
    try {
      const binding = (await (await fetch(`${host.origin}/api/client-binding`)).json()) as Record<string, unknown>;
      const base = `${host.origin}/runtime/webhooks/durabletask`;
      assert.equal(binding['taskHubName'], hub);
      assert.equal(binding['rpcBaseUrl'], `${base}/`);
      assert.equal(binding['baseUrl'], base);
      const management = binding['managementUrls'] as Record<string, string>;
      assert.equal(management['id'], 'INSTANCEID');
      assert.equal(management['statusQueryGetUri'], `${base}/instances/INSTANCEID?taskHub=${hub}&connection=Storage`);
      const instanceId = `hub-${uniqueSuffix()}`;
      const started = await fetch(`${host.origin}/api/orchestrators/FanOut/${instanceId}`, { method: 'POST' });
      assert.equal(started.status, 202);
    } finally {
      await host.stop();
    }
  });
});
