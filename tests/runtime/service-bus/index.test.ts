import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { serviceBusExtension } from '../../../runtime/service-bus/index';
import { LocalBroker } from '../../../runtime/service-bus/local-broker';
import type { RuntimeExtension } from '../../../runtime/types';
import { CollectingLog, eventually, serviceBusFunction, StandInInvoker, standInHost, type StandInHandler } from './stand-in-host';
import { startStorage, uniqueQueue, type StorageFixture } from './storage-fixture';

describe('serviceBusExtension', () => {
  let storage: StorageFixture;
  let broker: LocalBroker;
  const running: RuntimeExtension[] = [];

  before(async () => {
    storage = await startStorage();
    broker = new LocalBroker(storage.connectionString);
  });
  after(async () => {
    await Promise.all(running.map((extension) => extension.stop()));
    await storage.stop();
  });

  async function start(queue: string, handler: StandInHandler, options: {
    trigger?: Record<string, unknown>;
    maxDeliveryCount?: number;
    lockDurationMs?: number;
    hostOptions?: Record<string, unknown>;
  } = {}) {
    const invoker = new StandInInvoker({ fn: handler });
    const log = new CollectingLog();
    const host = standInHost({
      storageConnectionString: storage.connectionString,
      functions: [serviceBusFunction('fn', { queueName: '%JOBS_QUEUE%', ...options.trigger })],
      settings: { JOBS_QUEUE: queue },
      invoker,
      log,
    });
    const extension = serviceBusExtension({
      hostOptions: options.hostOptions ?? {},
      broker: { queues: { [queue]: { maxDeliveryCount: options.maxDeliveryCount ?? 10, lockDurationMs: options.lockDurationMs ?? 60_000 } } },
      idlePollMs: 50,
    });
    await extension.start(host);
    running.push(extension);
    return { extension, invoker, log };
  }

  it('should run a handler that throws twice three times, then complete the message', async () => {
    const queue = uniqueQueue('flaky');
    let calls = 0;
    const { invoker, extension } = await start(queue, async () => {
      calls += 1;
      if (calls <= 2) throw new Error(`attempt ${calls} failed`);
    });
    await broker.send(queue, { messageId: 'job-1', body: { id: 1 }, correlationId: 'corr', applicationProperties: { Tenant: 't1' } });
    await eventually(async () => (calls === 3 ? true : undefined), 'the third call');
    await extension.stop();
    assert.equal(calls, 3);
    assert.deepEqual(invoker.calls.map((c) => c.triggerMetadata?.deliveryCount), [1, 2, 3]);
    const last = invoker.calls[2];
    assert.deepEqual(last?.triggerValue, { id: 1 });
    assert.equal(last?.triggerMetadata?.messageId, 'job-1');
    assert.equal(last?.triggerMetadata?.correlationId, 'corr');
    assert.deepEqual(last?.triggerMetadata?.applicationProperties, { tenant: 't1' }, 'camel-cased like @azure/functions');
    assert.equal(typeof last?.triggerMetadata?.enqueuedTimeUtc, 'string');
    assert.equal(typeof last?.triggerMetadata?.lockToken, 'string');
    assert.equal(await broker.activeMessageCount(queue), 0);
    assert.equal(await broker.deadLetterCount(queue), 0);
  });

  it('should dead-letter a message whose handler always throws after maxDeliveryCount calls', async () => {
    const queue = uniqueQueue('poison');
    let calls = 0;
    const { extension, log } = await start(queue, async () => {
      calls += 1;
      throw new Error('cannot process this');
    }, { maxDeliveryCount: 4 });
    await broker.send(queue, { messageId: 'bad', body: 'x' });
    await eventually(async () => ((await broker.deadLetterCount(queue)) === 1 ? true : undefined), 'the dead letter');
    await extension.stop();
    assert.equal(calls, 4);
    const [dead] = await broker.peekDeadLetters(queue);
    assert.equal(dead?.deadLetterReason, 'MaxDeliveryCountExceeded');
    assert.equal(dead?.deadLetterErrorDescription, 'cannot process this');
    assert.equal(await broker.activeMessageCount(queue), 0);
    assert.ok(log.errors.some((line) => line.includes('dead-lettered after 4 deliveries')));
  });

  it('should never run more handlers at once than maxConcurrentCalls', async () => {
    const queue = uniqueQueue('limit');
    let active = 0;
    let peak = 0;
    let done = 0;
    const { extension } = await start(queue, async () => {
      active += 1;
      peak = Math.max(peak, active);
      await sleep(200);
      active -= 1;
      done += 1;
    }, { hostOptions: { maxConcurrentCalls: 2 } });
    for (let i = 0; i < 6; i++) await broker.send(queue, { messageId: `m${i}`, body: i });
    await eventually(async () => (done === 6 ? true : undefined), 'six calls');
    await extension.stop();
    assert.equal(peak, 2);
    assert.equal(await broker.activeMessageCount(queue), 0);
  });

  it('should renew the lock while a handler outlives it, so the message is not delivered twice', async () => {
    const queue = uniqueQueue('renewal');
    let calls = 0;
    const { extension, log } = await start(queue, async () => {
      calls += 1;
      await sleep(3500);
    }, { lockDurationMs: 1000, hostOptions: { maxConcurrentCalls: 4 } });
    await broker.send(queue, { messageId: 'slow', body: 1 });
    await eventually(async () => (calls === 1 ? true : undefined), 'the call');
    await eventually(async () => ((await broker.activeMessageCount(queue)) === 0 ? true : undefined), 'completion');
    await extension.stop();
    assert.equal(calls, 1);
    assert.deepEqual(log.errors, []);
  });

  it('should wait for handlers in flight on stop, and settle them', async () => {
    const queue = uniqueQueue('stop');
    let finished = false;
    let started = false;
    const { extension } = await start(queue, async () => {
      started = true;
      await sleep(500);
      finished = true;
    });
    await broker.send(queue, { messageId: 's', body: 1 });
    await eventually(async () => (started ? true : undefined), 'the call to start');
    await extension.stop();
    assert.equal(finished, true);
    assert.equal(await broker.activeMessageCount(queue), 0);
  });

  it('should pass an array of bodies with array metadata for cardinality many', async () => {
    const queue = uniqueQueue('batch');
    for (let i = 0; i < 3; i++) await broker.send(queue, { messageId: `b${i}`, body: { i } });
    const batches: unknown[] = [];
    const { extension, invoker } = await start(queue, async (value) => void batches.push(value), { trigger: { cardinality: 'many' } });
    await eventually(async () => ((await broker.activeMessageCount(queue)) === 0 ? true : undefined), 'the batch to complete');
    await extension.stop();
    assert.deepEqual(batches.flat().map((b) => (b as { i: number }).i).sort(), [0, 1, 2]);
    const metadata = invoker.calls[0]?.triggerMetadata;
    assert.ok(Array.isArray(metadata?.messageIdArray));
    assert.ok(Array.isArray(metadata?.deliveryCountArray));
  });

  it('should complete nothing when autoCompleteMessages is off', async () => {
    const queue = uniqueQueue('manual');
    let calls = 0;
    const { extension } = await start(queue, async () => void (calls += 1), { trigger: { autoCompleteMessages: false } });
    await broker.send(queue, { messageId: 'm', body: 1 });
    await eventually(async () => (calls === 1 ? true : undefined), 'the call');
    await extension.stop();
    assert.equal(await broker.activeMessageCount(queue), 1, 'still there, locked until its lock expires');
  });
});
