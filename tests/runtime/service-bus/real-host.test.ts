/** End to end through rtcore's host and RpcInvoker: a real `app.serviceBusQueue` handler on the local broker. */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { memoryHostLog, startHost, type StartedHost } from '../../../runtime/index';
import { serviceBusExtension } from '../../../runtime/service-bus/index';
import { LocalBroker } from '../../../runtime/service-bus/local-broker';
import { seenMessages } from './fixtures/seen-messages';
import { eventually } from './stand-in-host';
import { startStorage, uniqueQueue, type StorageFixture } from './storage-fixture';

describe('serviceBusExtension in the real host', () => {
  let storage: StorageFixture;
  let host: StartedHost;
  let broker: LocalBroker;
  const queue = uniqueQueue('e2e');

  before(async () => {
    storage = await startStorage();
    broker = new LocalBroker(storage.connectionString);
    host = await startHost({
      appDir: mkdtempSync(path.join(tmpdir(), 'sb-app-')),
      main: path.join(__dirname, 'fixtures', 'service-bus-app.js'),
      port: 0,
      settings: { AzureWebJobsStorage: storage.connectionString, FIXTURE_SB_QUEUE: queue, ServiceBusConnection: 'local' },
      extensions: [serviceBusExtension({ hostOptions: {}, broker: { queues: { [queue]: { maxDeliveryCount: 2 } } }, idlePollMs: 50 })],
      log: memoryHostLog(),
    });
  });
  after(async () => {
    await host?.stop();
    await storage.stop();
  });

  it('should hand the handler the parsed body and camel-cased trigger metadata', async () => {
    await broker.send(queue, { messageId: 'order-1', body: { orderId: 'o1' }, correlationId: 'c1', subject: 'order', applicationProperties: { TenantId: 't1' } });
    const seen = await eventually(async () => seenMessages().find((m) => m.triggerMetadata?.messageId === 'order-1'), 'the invocation');
    assert.deepEqual(seen.body, { orderId: 'o1' });
    const metadata = seen.triggerMetadata ?? {};
    assert.equal(metadata.deliveryCount, 1);
    assert.equal(metadata.correlationId, 'c1');
    assert.equal(metadata.subject, 'order');
    assert.deepEqual(metadata.applicationProperties, { tenantId: 't1' });
    assert.equal(typeof metadata.lockToken, 'string');
    assert.ok(Number.isFinite(Date.parse(String(metadata.enqueuedTimeUtc))), 'enqueuedTimeUtc is an ISO date');
    assert.equal(seen.retryContext, undefined, 'as in Azure: no retry context for Service Bus');
    await eventually(async () => ((await broker.activeMessageCount(queue)) === 0 ? true : undefined), 'completion');
  });

  it('should retry a throwing handler and dead-letter it at the max delivery count', async () => {
    await broker.send(queue, { messageId: 'bad-1', body: { fail: true } });
    await eventually(async () => ((await broker.deadLetterCount(queue)) === 1 ? true : undefined), 'the dead letter');
    const deliveries = seenMessages().filter((m) => m.triggerMetadata?.messageId === 'bad-1').map((m) => m.triggerMetadata?.deliveryCount);
    assert.deepEqual(deliveries, [1, 2]);
    const [dead] = await broker.peekDeadLetters(queue);
    assert.equal(dead?.deadLetterReason, 'MaxDeliveryCountExceeded');
    assert.match(dead?.deadLetterErrorDescription ?? '', /asked to fail/);
  });
});
