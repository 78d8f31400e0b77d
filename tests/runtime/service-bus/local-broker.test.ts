import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { QueueServiceClient } from '@azure/storage-queue';
import { LocalBroker } from '../../../runtime/service-bus/local-broker';
import { MessageLockLostError, MessageTooLargeError } from '../../../runtime/service-bus/errors';
import { eventually } from './stand-in-host';
import { startStorage, uniqueQueue, type StorageFixture } from './storage-fixture';

describe('LocalBroker', () => {
  let storage: StorageFixture;
  let broker: LocalBroker;

  before(async () => {
    storage = await startStorage();
    broker = new LocalBroker(storage.connectionString);
  });
  after(async () => storage.stop());

  it('should deliver a sent message with its properties, and remove it on complete', async () => {
    const queue = uniqueQueue('basic');
    await broker.send(queue, { messageId: 'm-1', body: { hello: 'world' }, correlationId: 'c-1', subject: 's', applicationProperties: { Kind: 'x', n: 2 } });
    assert.equal(await broker.activeMessageCount(queue), 1);
    const [message, ...rest] = await broker.receive(queue, { maxMessages: 5 });
    assert.ok(message);
    assert.equal(rest.length, 0);
    assert.deepEqual(message.body, { hello: 'world' });
    assert.equal(message.messageId, 'm-1');
    assert.equal(message.deliveryCount, 1);
    assert.equal(message.correlationId, 'c-1');
    assert.equal(message.subject, 's');
    assert.deepEqual(message.applicationProperties, { Kind: 'x', n: 2 });
    assert.ok(message.lockToken.length > 0);
    assert.ok(message.lockedUntilUtc.getTime() > Date.now());
    assert.deepEqual(await broker.receive(queue), [], 'a locked message is not delivered twice');
    await broker.complete(message);
    assert.equal(await broker.activeMessageCount(queue), 0);
    await assert.rejects(broker.complete(message), MessageLockLostError);
  });

  it('should increment the delivery count each time a message is abandoned', async () => {
    const queue = uniqueQueue('abandon');
    await broker.send(queue, { messageId: 'a', body: 1 });
    const counts: number[] = [];
    for (let i = 0; i < 3; i++) {
      const [message] = await broker.receive(queue);
      assert.ok(message);
      counts.push(message.deliveryCount);
      assert.equal(await broker.abandon(message, 'boom'), 'abandoned');
    }
    assert.deepEqual(counts, [1, 2, 3]);
  });

  it('should dead-letter at the max delivery count with the reason and the error as description', async () => {
    const queue = uniqueQueue('maxdel');
    const strict = new LocalBroker(storage.connectionString, { queues: { [queue]: { maxDeliveryCount: 3 } } });
    await strict.send(queue, { messageId: 'poison', body: { n: 1 }, applicationProperties: { a: 'b' } });
    const outcomes: string[] = [];
    for (let i = 0; i < 3; i++) {
      const [message] = await strict.receive(queue);
      assert.ok(message, `delivery ${i + 1}`);
      outcomes.push(await strict.abandon(message, `handler failed #${i + 1}`));
    }
    assert.deepEqual(outcomes, ['abandoned', 'abandoned', 'deadLettered']);
    assert.deepEqual(await strict.receive(queue), []);
    assert.equal(await strict.activeMessageCount(queue), 0);
    assert.equal(await strict.deadLetterCount(queue), 1);
    const [dead] = await strict.peekDeadLetters(queue);
    assert.ok(dead);
    assert.equal(dead.messageId, 'poison');
    assert.deepEqual(dead.body, { n: 1 });
    assert.equal(dead.deadLetterReason, 'MaxDeliveryCountExceeded');
    assert.equal(dead.deadLetterErrorDescription, 'handler failed #3');
    assert.equal(dead.deliveryCount, 3);
    assert.deepEqual(dead.applicationProperties, { a: 'b' });
  });

  it('should dead-letter explicitly with a caller-given reason', async () => {
    const queue = uniqueQueue('explicit');
    await broker.send(queue, { messageId: 'x', body: 'text' });
    const [message] = await broker.receive(queue);
    assert.ok(message);
    await broker.deadLetter(message, 'ValidationFailed', 'body is not an order');
    const [dead] = await broker.peekDeadLetters(queue);
    assert.equal(dead?.deadLetterReason, 'ValidationFailed');
    assert.equal(dead?.deadLetterErrorDescription, 'body is not an order');
    assert.equal(dead?.body, 'text');
  });

  it('should redeliver a message whose lock expired, and reject settling with the stale lock', async () => {
    const queue = uniqueQueue('expiry');
    await broker.send(queue, { messageId: 'e', body: null });
    const [first] = await broker.receive(queue, { lockDurationMs: 1000 });
    assert.ok(first);
    const second = await eventually(async () => (await broker.receive(queue))[0], 'redelivery after lock expiry');
    assert.equal(second.deliveryCount, 2);
    await assert.rejects(broker.complete(first), MessageLockLostError);
    await broker.complete(second);
  });

  it('should keep a message locked across renewals and complete it with the renewed lock', async () => {
    const queue = uniqueQueue('renew');
    await broker.send(queue, { messageId: 'r', body: {} });
    const [message] = await broker.receive(queue, { lockDurationMs: 2000 });
    assert.ok(message);
    const before = message.lockedUntilUtc.getTime();
    await sleep(1100);
    const renewed = await broker.renewLock(message);
    assert.ok(renewed.getTime() > before);
    assert.equal(message.lockedUntilUtc, renewed);
    await broker.complete(message);
    assert.equal(await broker.activeMessageCount(queue), 0);
  });

  it('should dead-letter a message whose last allowed lock expired unsettled', async () => {
    const queue = uniqueQueue('crash');
    const once = new LocalBroker(storage.connectionString, { maxDeliveryCount: 1 });
    await once.send(queue, { messageId: 'c', body: 1 });
    assert.equal((await once.receive(queue, { lockDurationMs: 1000 })).length, 1);
    await eventually(async () => {
      assert.deepEqual(await once.receive(queue), [], 'never delivered a second time');
      return (await once.deadLetterCount(queue)) === 1 ? true : undefined;
    }, 'dead-lettering on receive');
    const [dead] = await once.peekDeadLetters(queue);
    assert.equal(dead?.deadLetterReason, 'MaxDeliveryCountExceeded');
    assert.equal(dead?.deliveryCount, 1);
  });

  it('should keep a scheduled message invisible until its time', async () => {
    const queue = uniqueQueue('sched');
    const at = new Date(Date.now() + 2500);
    await broker.send(queue, { messageId: 's', body: 'later', scheduledEnqueueTimeUtc: at });
    assert.deepEqual(await broker.receive(queue), []);
    assert.equal(await broker.activeMessageCount(queue), 0, 'scheduled messages are not active');
    const message = await eventually(async () => (await broker.receive(queue))[0], 'the scheduled message');
    assert.ok(Date.now() >= at.getTime(), 'delivered no earlier than scheduled');
    assert.ok(message.enqueuedTimeUtc.getTime() >= at.getTime());
    assert.equal(message.deliveryCount, 1);
    await broker.complete(message);
  });

  it('should drop a second message with the same messageId, also from another broker instance', async () => {
    const queue = uniqueQueue('dedupe');
    assert.equal(await broker.send(queue, { messageId: 'same', body: 1 }), true);
    assert.equal(await broker.send(queue, { messageId: 'same', body: 2 }), false);
    assert.equal(await new LocalBroker(storage.connectionString).send(queue, { messageId: 'same', body: 3 }), false);
    assert.equal(await broker.send(queue, { messageId: 'other/#?', body: 4 }), true);
    const messages = await broker.receive(queue, { maxMessages: 10 });
    assert.deepEqual(messages.map((m) => m.body).sort(), [1, 4]);
  });

  it('should accept a repeated messageId once the detection window has passed', async () => {
    const queue = uniqueQueue('window');
    const short = new LocalBroker(storage.connectionString, { duplicateDetectionWindowMs: 50 });
    assert.equal(await short.send(queue, { messageId: 'w', body: 1 }), true);
    await sleep(100);
    assert.equal(await short.send(queue, { messageId: 'w', body: 2 }), true);
    assert.equal(await short.activeMessageCount(queue), 2);
  });

  it('should keep messages and their delivery counts across a new broker instance (restart)', async () => {
    const queue = uniqueQueue('restart');
    await broker.send(queue, { messageId: 'p', body: { keep: true } });
    const [first] = await broker.receive(queue);
    assert.ok(first);
    await broker.abandon(first);
    const restarted = new LocalBroker(storage.connectionString);
    const [again] = await restarted.receive(queue);
    assert.deepEqual(again?.body, { keep: true });
    assert.equal(again?.deliveryCount, 2);
  });

  it('should reject a body too large for a storage queue message with a clear error', async () => {
    const queue = uniqueQueue('large');
    await assert.rejects(broker.send(queue, { messageId: 'big', body: 'x'.repeat(60_000) }), (error: unknown) => {
      assert.ok(error instanceof MessageTooLargeError);
      assert.match(error.message, /256 KB/);
      return true;
    });
    assert.equal(await broker.activeMessageCount(queue), 0);
    assert.equal(await broker.send(queue, { messageId: 'big', body: 'small now' }), true, 'a rejected send does not burn the id');
  });

  it('should dead-letter a message that is not a broker envelope', async () => {
    const queue = uniqueQueue('malformed');
    const names = broker.storageNames(queue);
    await broker.activeMessageCount(queue); // creates the storage queues
    await QueueServiceClient.fromConnectionString(storage.connectionString).getQueueClient(names.active).sendMessage('not base64 json');
    assert.deepEqual(await broker.receive(queue), []);
    const [dead] = await broker.peekDeadLetters(queue);
    assert.equal(dead?.deadLetterReason, 'MalformedMessage');
    assert.equal(dead?.body, 'not base64 json');
  });
});
