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
  deliveryIdFor,
  enqueueWebhook,
  WebhookDeliveryExhaustedError,
  webhookDeliverySchema,
  type WebhookTargets,
} from '../../../../shared/webhooks/delivery';
import { CosmosDeliveryLog } from '../../../../shared/webhooks/delivery-log';
import { buildWebhook } from '../../../../shared/webhooks/event';
import { resendDelivery } from '../../../../shared/webhooks/resend';
import { verifyWebhookSignature } from '../../../../shared/webhooks/signature';
import { type CosmosFixture, openCosmos } from '../http/cosmos-fixture';

const SECRET = 'whsec_' + Buffer.from('r'.repeat(32)).toString('base64');
const CALLBACK_SECRET = 'whsec_' + Buffer.from('c'.repeat(32)).toString('base64');
const header = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

/** A loopback receiver that verifies Standard Webhooks signatures and fails its first `failFirst` requests. */
class Receiver {
  received: { body: string; signatureOk: boolean; callbackSignatureOk: boolean; attempt: string | undefined; legacy: string | undefined }[] = [];
  failFirst = 0;
  status = 500;
  /** The test's clock: signatures carry its time, so freshness is judged against it. */
  clock = new ManualClock();
  private server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c)).on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const nowS = Math.floor(this.clock.now().getTime() / 1000);
      const headers = { id: header(req.headers['webhook-id']), timestamp: header(req.headers['webhook-timestamp']), signature: header(req.headers['webhook-signature']) };
      this.received.push({
        body,
        signatureOk: verifyWebhookSignature(SECRET, headers, body, 300, nowS).ok,
        callbackSignatureOk: verifyWebhookSignature(CALLBACK_SECRET, headers, body, 300, nowS).ok,
        attempt: header(req.headers['vouch-delivery-attempt']),
        legacy: header(req.headers['vouch-signature']),
      });
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

  const targetsFor = (url: () => string): WebhookTargets => ({
    subscribedEndpoints: async (t, type) => (t === 'acme' && type === 'verification.completed' ? ['ep_1'] : []),
    endpoint: async (t, id) => (t === 'acme' && id === 'ep_1' ? { url: url(), secrets: [SECRET] } : undefined),
    callbackSecrets: async (t) => (t === 'acme' ? [CALLBACK_SECRET] : []),
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
    const deps: DeliveryDeps = { targets: targetsFor(() => receiver.url), log, sender, clock, logger: silentLogger, mode: 'local', timeoutMs: 2000, backoffS };
    const event = buildWebhook({
      subjectId: `ver-${++n}`, type: 'verification.completed', status: 'approved',
      createdAt: new Date('2026-03-01T11:59:00Z'), data: { verificationId: `ver-${n}`, decision: 'approved' },
    });
    await enqueueWebhook(sender, 'acme', event);
    // The first message fans out to the subscribed endpoint.
    assert.deepEqual(await deliverWebhook(bodyOf(sender, 0), deps), { outcome: 'fanned-out', deliveries: 1 });
    const id = deliveryIdFor(event.id, { endpointId: 'ep_1' });
    return { deps, sender, clock, log, event, id };
  }

  /** Runs the message a recorded send produced, as the Service Bus trigger would. */
  const bodyOf = (sender: RecordingSender, i: number) => webhookDeliverySchema.parse(sender.sent[i]?.message.body);

  it('should fan out to the subscribed endpoint, POST a signed body once and log success', async () => {
    const { deps, sender, log, event, id } = await setup();
    assert.equal(sender.sent[0]?.message.messageId, `${event.id}:fanout`);
    assert.equal(sender.sent[1]?.message.messageId, `${id}:1`);
    assert.equal(sender.sent[1]?.queue, QUEUES.webhooks);
    const outcome = await deliverWebhook(bodyOf(sender, 1), deps);
    assert.deepEqual(outcome, { outcome: 'delivered', statusCode: 204 });
    assert.equal(receiver.received.length, 1);
    assert.equal(receiver.received[0]?.signatureOk, true);
    assert.match(receiver.received[0]?.legacy ?? '', /^t=\d+,v1=[0-9a-f]{64}$/);
    assert.deepEqual(JSON.parse(receiver.received[0]?.body ?? ''), event);
    const entry = await log.get('acme', id);
    assert.equal(entry?.status, 'delivered');
    assert.equal(entry?.endpointId, 'ep_1');
    assert.equal(entry?.lastStatusCode, 204);
    assert.equal(entry?.attempts[0]?.statusCode, 204);
  });

  it('should not fan out an event type no endpoint takes', async () => {
    const { deps } = await setup();
    const other = buildWebhook({ subjectId: 'ord-1', type: 'order.status_changed', status: 'paid', createdAt: new Date(), data: {} });
    assert.deepEqual(await deliverWebhook({ tenantId: 'acme', attempt: 1, event: other }, deps), { outcome: 'no-endpoint' });
  });

  it('should send to a request\'s callbackUrl, signed with the tenant\'s secret, instead of the endpoints', async () => {
    const { deps, clock } = await setup();
    const sender = new RecordingSender();
    const event = buildWebhook({ subjectId: `ver-cb-${++n}`, type: 'verification.completed', status: 'approved', createdAt: clock.now(), data: {} });
    await enqueueWebhook(sender, 'acme', event, receiver.url);
    assert.deepEqual(await deliverWebhook(bodyOf(sender, 0), { ...deps, sender }), { outcome: 'delivered', statusCode: 204 });
    assert.equal(receiver.received.length, 1);
    assert.equal(receiver.received[0]?.callbackSignatureOk, true);
    const entry = await deps.log.get('acme', deliveryIdFor(event.id, { callbackUrl: receiver.url }));
    assert.equal(entry?.callbackUrl, receiver.url);
  });

  it('should make a re-delivered message after success a no-op', async () => {
    const { deps, sender } = await setup();
    await deliverWebhook(bodyOf(sender, 1), deps);
    assert.deepEqual(await deliverWebhook(bodyOf(sender, 1), deps), { outcome: 'delivered', statusCode: 204 });
    assert.equal(receiver.received.length, 1);
    assert.equal(sender.sent.length, 2);
  });

  it('should schedule retries with the backoff and deterministic message ids until it succeeds', async () => {
    const { deps, sender, clock, log, id } = await setup();
    receiver.failFirst = 2;
    const first = await deliverWebhook(bodyOf(sender, 1), deps);
    assert.deepEqual(first, { outcome: 'retry-scheduled', nextAttempt: 2, notBefore: new Date('2026-03-01T12:00:10Z') });
    assert.equal(sender.sent[2]?.message.messageId, `${id}:2`);
    assert.deepEqual(sender.sent[2]?.message.scheduledEnqueueTimeUtc, new Date('2026-03-01T12:00:10Z'));
    assert.equal((await log.get('acme', id))?.nextAttemptAt, '2026-03-01T12:00:10.000Z');
    clock.advance(10_000);
    const second = await deliverWebhook(bodyOf(sender, 2), deps);
    assert.deepEqual(second, { outcome: 'retry-scheduled', nextAttempt: 3, notBefore: new Date('2026-03-01T12:01:10Z') });
    assert.equal(sender.sent[3]?.message.messageId, `${id}:3`);
    clock.advance(60_000);
    assert.deepEqual(await deliverWebhook(bodyOf(sender, 3), deps), { outcome: 'delivered', statusCode: 204 });
    assert.deepEqual(receiver.received.map((r) => [r.attempt, r.signatureOk]), [['1', true], ['2', true], ['3', true]]);
    const entry = await log.get('acme', id);
    assert.deepEqual(entry?.attempts.map((a) => a.statusCode), [500, 500, 204]);
    assert.equal(entry?.nextAttemptAt, undefined);
  });

  it('should not repeat a logged attempt when its message comes again, only re-schedule the next', async () => {
    const { deps, sender } = await setup();
    receiver.failFirst = 5;
    await deliverWebhook(bodyOf(sender, 1), deps);
    await deliverWebhook(bodyOf(sender, 1), deps);
    assert.equal(receiver.received.length, 1);
    assert.equal(sender.sent.length, 4);
    assert.equal(sender.sent[2]?.message.messageId, sender.sent[3]?.message.messageId);
  });

  it('should treat a redirect as a failure and not follow it', async () => {
    const { deps, sender } = await setup();
    receiver.failFirst = 1;
    receiver.status = 302;
    const outcome = await deliverWebhook(bodyOf(sender, 1), deps);
    assert.equal(outcome.outcome, 'retry-scheduled');
    assert.equal(receiver.received.length, 1);
  });

  it('should dead-letter after the last attempt, show it exhausted, and deliver it again on resend', async () => {
    const { deps, sender, log, id, clock } = await setup([10]);
    receiver.failFirst = 2;
    await deliverWebhook(bodyOf(sender, 1), deps);
    await assert.rejects(deliverWebhook(bodyOf(sender, 2), deps), WebhookDeliveryExhaustedError);
    assert.equal(sender.sent.length, 3);
    assert.equal((await log.get('acme', id))?.status, 'exhausted');
    await assert.rejects(deliverWebhook(bodyOf(sender, 2), deps), WebhookDeliveryExhaustedError);
    assert.equal(receiver.received.length, 2);
    const page = await log.list('acme', { status: 'exhausted' }, { limit: 10 });
    assert.deepEqual(page.items.map((e) => e.id), [id]);

    clock.advance(3_600_000);
    receiver.clock = clock;
    const reopened = await resendDelivery({ log, sender, clock }, 'acme', id);
    assert.equal(reopened.status, 'pending');
    assert.equal(sender.sent[3]?.message.messageId, `${id}:3`);
    assert.deepEqual(await deliverWebhook(bodyOf(sender, 3), deps), { outcome: 'delivered', statusCode: 204 });
    const entry = await log.get('acme', id);
    assert.equal(entry?.status, 'delivered');
    assert.equal(entry?.resends, 1);
    assert.deepEqual(entry?.attempts.map((a) => a.attempt), [1, 2, 3]);
    await assert.rejects(resendDelivery({ log, sender, clock }, 'globex', id), /not found/);
  });

  it('should dead-letter at once when the URL is not allowed', async () => {
    const { deps, sender } = await setup();
    const azure: DeliveryDeps = { ...deps, mode: 'azure' };
    await assert.rejects(deliverWebhook(bodyOf(sender, 1), azure), WebhookDeliveryExhaustedError);
    assert.equal(receiver.received.length, 0);
  });

  it('should count a timeout as a failed attempt', async () => {
    const hang = http.createServer(() => {});
    await new Promise<void>((r) => hang.listen(0, '127.0.0.1', r));
    try {
      const url = `http://127.0.0.1:${(hang.address() as AddressInfo).port}/`;
      const { deps, sender, log, id } = await setup();
      const slow: DeliveryDeps = { ...deps, timeoutMs: 200, targets: targetsFor(() => url) };
      assert.equal((await deliverWebhook(bodyOf(sender, 1), slow)).outcome, 'retry-scheduled');
      assert.equal((await log.get('acme', id))?.attempts[0]?.error, 'timeout');
    } finally {
      hang.closeAllConnections();
      await new Promise<void>((r) => hang.close(() => r()));
    }
  });

  it('should connect to the checked address, not to what the name resolves to later', async () => {
    // `pinned.test` resolves (once, in the check) to the receiver's loopback address; no real DNS knows it.
    const { deps, sender } = await setup();
    let lookups = 0;
    const port = new URL(receiver.url).port;
    const pinned: DeliveryDeps = {
      ...deps,
      targets: targetsFor(() => `http://pinned.test:${port}/hooks`),
      resolve: async () => (++lookups === 1 ? [{ address: '127.0.0.1', family: 4 }] : [{ address: '10.9.9.9', family: 4 }]),
    };
    assert.deepEqual(await deliverWebhook(bodyOf(sender, 1), pinned), { outcome: 'delivered', statusCode: 204 });
    assert.equal(lookups, 1);
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
