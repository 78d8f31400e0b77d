import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { LocalBroker } from '../../../runtime/service-bus/local-broker';
import { LocalBrokerMessageSender } from '../../../runtime/service-bus/local-broker-sender';
import { QUEUES } from '../../../shared/names';
import { startStorage, type StorageFixture } from './storage-fixture';

describe('LocalBrokerMessageSender', () => {
  let storage: StorageFixture;
  before(async () => {
    storage = await startStorage();
  });
  after(async () => storage.stop());

  it('should not load the Azure SDKs until the first send', () => {
    // This test file imports LocalBroker itself, so only a fresh process can show what the sender loads.
    const sender = JSON.stringify(require.resolve('../../../runtime/service-bus/local-broker-sender'));
    const script = `require(${sender}); process.stdout.write(String(Object.keys(require.cache).some((f) => f.includes('@azure'))))`;
    assert.equal(execFileSync(process.execPath, ['-e', script]).toString(), 'false');
  });

  it('should send to the broker and report the active message count, dropping duplicates', async () => {
    // Real queue names from shared/names, isolated by a per-test storage prefix.
    const prefix = `t${randomBytes(4).toString('hex')}`;
    const sender = new LocalBrokerMessageSender(storage.connectionString, { prefix });
    await sender.send(QUEUES.webhooks, { messageId: 'w-1', body: { url: 'https://example.test' } });
    await sender.send(QUEUES.webhooks, { messageId: 'w-1', body: { url: 'https://example.test' } });
    await sender.send(QUEUES.webhooks, { messageId: 'w-2', body: {}, scheduledEnqueueTimeUtc: new Date(Date.now() + 60_000) });
    assert.equal(await sender.activeMessageCount(QUEUES.webhooks), 1, 'the duplicate is dropped, the scheduled one not yet active');
    const [message] = await new LocalBroker(storage.connectionString, { prefix }).receive(QUEUES.webhooks);
    assert.equal(message?.messageId, 'w-1');
  });
});
