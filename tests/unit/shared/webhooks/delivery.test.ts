import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { QUEUES, type QueueName } from '../../../../shared/names';
import { ManualClock } from '../../../../shared/platform/clock';
import { silentLogger } from '../../../../shared/platform/logger';
import type { MessageSender, OutgoingMessage } from '../../../../shared/platform/messaging';
import {
  type DeliveryDeps,
  deliverWebhook,
  enqueueWebhook,
  WebhookDeliveryExhaustedError,
  webhookDeliverySchema,
} from '../../../../shared/webhooks/delivery';
import { CosmosDeliveryLog } from '../../../../shared/webhooks/delivery-log';
import { buildWebhook } from '../../../../shared/webhooks/event';
import { verifyWebhookSignature } from '../../../../shared/webhooks/signature';
import { type CosmosFixture, openCosmos } from '../http/cosmos-fixture';

const SECRET = 'whsec_' + 'r'.repeat(40);

/** A loopback receiver that verifies signatures and fails its first `failFirst` requests. */
class Receiver {
  received: { body: string; signatureOk: boolean; attempt: string | undefined }[] = [];
  failFirst = 0;
  status = 500;
  /** The test's clock: signatures carry its time, so freshness is judged against it. */
  clock = new ManualClock();
  private server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c)).on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const nowS = Math.floor(this.clock.now().getTime() / 1000);
      const check = verifyWebhookSignature(SECRET, String(req.headers['vouch-signature']), body, 300, nowS);
      const attempt = req.headers['vouch-delivery-attempt'];
      this.received.push({ body, signatureOk: check.ok, attempt: Array.isArray(attempt) ? attempt[0] : attempt });
      const failing = this.received.length <= this.failFirst;
      res.writeHead(failing ? this.status : 204, failing && this.status === 302 ? { location: 'http://127.0.0.1:1/' } : {}).end(failing ? 'nope' : undefined);
    });
  });
  url = '';
  async start() {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hooks`;
  }
  stop() {
    this.server.closeAllConnections();
    return new Promise<void>((r) => this.server.close(() => r()));
  }
}

class RecordingSender implements MessageSender {
  sent: { queue: QueueName; message: OutgoingMessage }[] = [];
  async send(queue: QueueName, message: OutgoingMessage): Promise<void> {
    this.sent.push({ queue, message });
  }
}

describe('deliverWebhook', () => {
  let cosmos: CosmosFixture;
  let receiver: Receiver;
  before(async () => {
    cosmos = await openCosmos();
    receiver = new Receiver();
    await receiver.start();
  });
  after(async () => {
    await receiver.stop();
    await cosmos.close();
  });

  let n = 0;
  async function setup(backoffS: number[] = [10, 60, 300]) {
    receiver.received = [];
    receiver.failFirst = 0;
    receiver.status = 500;
    const sender = new RecordingSender();
    const clock = new ManualClock(new Date('2026-03-01T12:00:00Z'));
    receiver.clock = clock;
    const log = new CosmosDeliveryLog(await cosmos.container('webhooks'));
    const deps: DeliveryDeps = {
      endpoints: { endpointFor: async (t) => (t === 'acme' ? { url: receiver.url, secret: SECRET } : undefined) },
      log, sender, clock, logger: silentLogger, mode: 'local', timeoutMs: 2000, backoffS,
    };
    const event = buildWebhook({
      subjectId: `ver-${++n}`, type: 'verification.completed', status: 'approved',
      createdAt: new Date('2026-03-01T11:59:00Z'), data: { verificationId: `ver-${n}`, decision: 'approved' },
    });
    await enqueueWebhook(sender, 'acme', event);
    return { deps, sender, clock, log, event };
  }

  /** Runs the message a recorded send produced, as the Service Bus trigger would. */
  const bodyOf = (sender: RecordingSender, i: number) => webhookDeliverySchema.parse(sender.sent[i]?.message.body);

  it('should POST a signed body once and log success', async () => {
    const { deps, sender, log, event } = await setup();
    assert.deepEqual(sender.sent[0]?.message.messageId, `${event.id}:1`);
    assert.equal(sender.sent[0]?.queue, QUEUES.webhooks);
    const outcome = await deliverWebhook(bodyOf(sender, 0), deps);
    assert.deepEqual(outcome, { outcome: 'delivered', statusCode: 204 });
    assert.equal(receiver.received.length, 1);
    assert.equal(receiver.received[0]?.signatureOk, true);
    assert.deepEqual(JSON.parse(receiver.received[0]?.body ?? ''), event);
    const entry = await log.get('acme', event.id);
    assert.equal(entry?.status, 'delivered');
    assert.equal(entry?.attempts[0]?.statusCode, 204);
    assert.doesNotMatch(JSON.stringify(entry), /decision|verificationId|"data"|127\.0\.0\.1/);
  });

  it('should make a re-delivered message after success a no-op', async () => {
    const { deps, sender } = await setup();
    await deliverWebhook(bodyOf(sender, 0), deps);
    assert.deepEqual(await deliverWebhook(bodyOf(sender, 0), deps), { outcome: 'already-delivered' });
    assert.equal(receiver.received.length, 1);
    assert.equal(sender.sent.length, 1);
  });

  it('should schedule retries with the backoff and deterministic message ids until it succeeds', async () => {
    const { deps, sender, clock, log, event } = await setup();
    receiver.failFirst = 2;
    const first = await deliverWebhook(bodyOf(sender, 0), deps);
    assert.deepEqual(first, { outcome: 'retry-scheduled', nextAttempt: 2, notBefore: new Date('2026-03-01T12:00:10Z') });
    assert.equal(sender.sent[1]?.message.messageId, `${event.id}:2`);
    assert.deepEqual(sender.sent[1]?.message.scheduledEnqueueTimeUtc, new Date('2026-03-01T12:00:10Z'));
    clock.advance(10_000);
    const second = await deliverWebhook(bodyOf(sender, 1), deps);
    assert.deepEqual(second, { outcome: 'retry-scheduled', nextAttempt: 3, notBefore: new Date('2026-03-01T12:01:10Z') });
    assert.equal(sender.sent[2]?.message.messageId, `${event.id}:3`);
    clock.advance(60_000);
    assert.deepEqual(await deliverWebhook(bodyOf(sender, 2), deps), { outcome: 'delivered', statusCode: 204 });
    assert.deepEqual(receiver.received.map((r) => [r.attempt, r.signatureOk]), [['1', true], ['2', true], ['3', true]]);
    const entry = await log.get('acme', event.id);
    assert.deepEqual(entry?.attempts.map((a) => a.statusCode), [500, 500, 204]);
  });

  it('should not repeat a logged attempt when its message comes again, only re-schedule the next', async () => {
    const { deps, sender } = await setup();
    receiver.failFirst = 5;
    await deliverWebhook(bodyOf(sender, 0), deps);
    await deliverWebhook(bodyOf(sender, 0), deps);
    assert.equal(receiver.received.length, 1);
    assert.equal(sender.sent.length, 3);
    assert.equal(sender.sent[1]?.message.messageId, sender.sent[2]?.message.messageId);
  });

  it('should treat a redirect as a failure and not follow it', async () => {
    const { deps, sender } = await setup();
    receiver.failFirst = 1;
    receiver.status = 302;
    const outcome = await deliverWebhook(bodyOf(sender, 0), deps);
    assert.equal(outcome.outcome, 'retry-scheduled');
    assert.equal(receiver.received.length, 1);
  });

  it('should throw after the last attempt so the message dead-letters, and keep throwing on re-delivery', async () => {
    const { deps, sender, log, event } = await setup([10]);
    receiver.failFirst = 99;
    await deliverWebhook(bodyOf(sender, 0), deps);
    await assert.rejects(deliverWebhook(bodyOf(sender, 1), deps), WebhookDeliveryExhaustedError);
    assert.equal(sender.sent.length, 2);
    assert.equal((await log.get('acme', event.id))?.status, 'exhausted');
    await assert.rejects(deliverWebhook(bodyOf(sender, 1), deps), WebhookDeliveryExhaustedError);
    assert.equal(receiver.received.length, 2);
  });

  it('should dead-letter at once when the URL is not allowed', async () => {
    const { deps, sender } = await setup();
    const azure: DeliveryDeps = { ...deps, mode: 'azure' };
    await assert.rejects(deliverWebhook(bodyOf(sender, 0), azure), WebhookDeliveryExhaustedError);
    assert.equal(receiver.received.length, 0);
  });

  it('should count a timeout as a failed attempt', async () => {
    const hang = http.createServer(() => {});
    await new Promise<void>((r) => hang.listen(0, '127.0.0.1', r));
    try {
      const { deps, sender, log, event } = await setup();
      const url = `http://127.0.0.1:${(hang.address() as AddressInfo).port}/`;
      const slow: DeliveryDeps = { ...deps, timeoutMs: 200, endpoints: { endpointFor: async () => ({ url, secret: SECRET }) } };
      assert.equal((await deliverWebhook(bodyOf(sender, 0), slow)).outcome, 'retry-scheduled');
      assert.equal((await log.get('acme', event.id))?.attempts[0]?.error, 'timeout');
    } finally {
      hang.closeAllConnections();
      await new Promise<void>((r) => hang.close(() => r()));
    }
  });

  it('should drop the event when the tenant has no endpoint', async () => {
    const { deps, sender } = await setup();
    const body = { ...bodyOf(sender, 0), tenantId: 'globex' };
    assert.deepEqual(await deliverWebhook(body, deps), { outcome: 'no-endpoint' });
  });

  it('should reject a malformed queue message', async () => {
    const { deps } = await setup();
    await assert.rejects(deliverWebhook({ tenantId: 'acme' }, deps));
  });
});
