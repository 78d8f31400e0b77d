/**
 * The order engine end to end through the real local runtime: merchant API →
 * `orders` queue → durable orchestration → assigned; trader confirms over JWT →
 * completed with a reconciled ledger. Own Azurite (another e2e file runs a host
 * at the same time and would take this host's queue messages), own database
 * and task hub on the suite's Cosmos server.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startHost, type HostLog, type StartedHost } from '../../../runtime/index';
import { startAzurite, type RunningAzurite } from '../../../runtime/storage/azurite';
import { freePorts } from '../../../runtime/storage/free-ports';
import { signLocalToken } from '../../../shared/auth';
import { resetConfigForTests } from '../../../shared/config';
import { assignAttempt } from '../../../shared/orders/assign-attempt';
import type { BalanceDoc, JournalDoc, OrderDoc, PostingDoc, RequisiteDoc, ReservationDoc } from '../../../shared/orders/documents';
import { createOrderEngine, type OrderEngine } from '../../../shared/orders/engine';
import { failOrder } from '../../../shared/orders/fail-order';
import { ORDER_EVENTS, orderStatusWebhook, snapshotOf } from '../../../shared/orders/order-events';
import { enqueueOrder, orderEngine } from '../../../shared/wiring/orders';
import { sendWebhook } from '../../../shared/wiring/webhooks';
import { SETTINGS, settingsStore } from '../../../shared/wiring/settings';
import { eventually as poll } from '../../support/eventually';

/** Polling ceiling and interval of this file (no timing assertion). */
const eventually = <T>(read: () => Promise<T | undefined>, what: string, timeoutMs = 30_000) => poll(read, what, { timeoutMs, pollMs: 100 });

const repoRoot = path.resolve(__dirname, '..', '..', '..', '..');
const compiledRoot = path.resolve(__dirname, '..', '..', '..');
const sample = JSON.parse(readFileSync(path.join(repoRoot, 'local.settings.sample.json'), 'utf8')) as { Values: Record<string, string> };
const PAYIN = { amount: '1000.00', currency: 'RUB', method: 'card', customerRef: 'customer-e2e-1' };

const queryAll = async <T>(container: OrderEngine['deps']['store']['orders'], query: string): Promise<T[]> =>
  (await container.items.query<T>({ query }).fetchAll()).resources;

/** Everything a duplicate could change: balances (with their posting counts), postings, journals, reservations, requisite counters, orders. */
async function ledgerState(engine: OrderEngine, orderIds: readonly string[]) {
  const { store } = engine.deps;
  const byId = <T extends { id: string }>(docs: T[], pick: (d: T) => unknown) => Object.fromEntries(docs.map((d) => [d.id, pick(d)]).sort());
  const orders = await Promise.all(orderIds.map((id) => engine.getOrder('demo-a', id)));
  return {
    balances: byId(await queryAll<BalanceDoc>(store.balances, "SELECT * FROM c WHERE c.type = 'balance'"), (b) => [b.balanceMinor, b.seq]),
    postings: byId(await queryAll<PostingDoc>(store.balances, "SELECT * FROM c WHERE c.type = 'posting'"), (p) => [p.amountMinor, p.seq]),
    journals: byId(await queryAll<JournalDoc>(store.ledger, "SELECT * FROM c WHERE c.type = 'journal'"), (j) => j.legs.length),
    reservations: byId(await queryAll<ReservationDoc>(store.requisites, "SELECT * FROM c WHERE c.type = 'reservation'"), (r) => r.state),
    requisites: byId(await queryAll<RequisiteDoc>(store.requisites, "SELECT * FROM c WHERE c.type = 'requisite'"), (r) => r.usage),
    orders: byId(orders, (o: OrderDoc) => [o.status, o.history.length, o.ledger]),
  };
}

describe('order engine e2e (local runtime)', () => {
  let azurite: RunningAzurite;
  let host: StartedHost;
  let dataDir: string;
  const lines: string[] = [];
  const log: HostLog = {
    invocation: (e) => void (e.outcome === 'Succeeded' ? undefined : lines.push(`FAILED ${e.functionName}: ${e.error ?? ''}`)),
    info: (m) => lines.push(m),
    error: (m) => lines.push(`ERROR ${m}`),
  };

  const call = (route: string, init: RequestInit & { apiKey?: string; bearer?: string; key?: string } = {}) => {
    const { apiKey, bearer, key, headers, ...rest } = init;
    return fetch(`${host.origin}${route}`, {
      ...rest,
      headers: {
        ...(apiKey ? { 'x-api-key': apiKey } : {}),
        ...(bearer ? { authorization: `Bearer ${bearer}` } : {}),
        ...(key ? { 'idempotency-key': key } : {}),
        ...(rest.body ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
    });
  };
  const createPayin = (key: string, body: object = PAYIN) => call('/api/v1/payins', { method: 'POST', apiKey: 'demo-a-key', key, body: JSON.stringify(body) });
  const getPayin = async (id: string) => (await (await call(`/api/v1/payins/${id}`, { apiKey: 'demo-a-key' })).json()) as { id: string; status: string };
  const waitForStatus = (id: string, status: string) =>
    eventually(async () => ((await getPayin(id)).status === status ? true : undefined), `order ${id} to be ${status}`);
  const token = (subject: string, roles: ('trader' | 'support')[], tenantId = 'demo-a') =>
    signLocalToken({ secret: sample.Values.LOCAL_JWT_SECRET ?? '', issuer: sample.Values.JWT_ISSUER ?? '', audience: sample.Values.JWT_AUDIENCE ?? '', subject, tenantId, roles });

  before(async () => {
    assert.ok(process.env.COSMOS_ENDPOINT && process.env.COSMOS_KEY, 'COSMOS_ENDPOINT and COSMOS_KEY must point at a Cosmos server (scripts/test.ts starts one)');
    dataDir = mkdtempSync(path.join(tmpdir(), 'vouch-orders-e2e-'));
    azurite = await startAzurite({ blobPort: await freePorts(3), location: dataDir });
    const unique = randomBytes(4).toString('hex');
    resetConfigForTests();
    host = await startHost({
      appDir: repoRoot,
      main: path.join(compiledRoot, 'functions', 'index.js'),
      port: 0,
      log,
      settings: {
        ...sample.Values,
        AzureWebJobsStorage: azurite.connectionString,
        COSMOS_ENDPOINT: process.env.COSMOS_ENDPOINT,
        COSMOS_KEY: process.env.COSMOS_KEY,
        COSMOS_DATABASE: `orders-e2e-${unique}`,
        TASKHUB_NAME: `OrdersE2e${unique}`,
      },
    });
  });

  before(async () => {
    // Short retries so the out-of-retries path runs in about a second; one blocked customer and a review
    // threshold above every other test's amount for the fraud branches; everything else keeps its default.
    await (await settingsStore()).put(
      SETTINGS.orders,
      { MAX_ORDER_RETRIES: 1, RETRY_BASE_DELAY_SECONDS: 1, RETRY_BACKOFF_FACTOR: 2, FRAUD_BLOCKED_CUSTOMERS: ['demo-a:customer-e2e-blocked'], FRAUD_REVIEW_AMOUNTS: { RUB: '50000.00', USD: '3000.00' } },
      'orders-e2e',
    );
  });

  after(async () => {
    if (process.env.ORDERS_E2E_VERBOSE) console.log(lines.join('\n'));
    await host?.stop();
    await azurite?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('should answer 400 problem+json without an Idempotency-Key', async () => {
    const res = await call('/api/v1/payins', { method: 'POST', apiKey: 'demo-a-key', body: JSON.stringify(PAYIN) });
    assert.equal(res.status, 400);
    assert.match(res.headers.get('content-type') ?? '', /application\/problem\+json/);
    assert.equal(((await res.json()) as { header?: string }).header, 'Idempotency-Key');
  });

  let orderId = '';

  it('should assign a 1000.00 RUB card pay-in of demo-a', async () => {
    const res = await createPayin('e2e-key-1');
    assert.equal(res.status, 201);
    const order = (await res.json()) as { id: string; status: string; amount: string };
    assert.equal(order.amount, '1000.00');
    orderId = order.id;
    await waitForStatus(orderId, 'assigned');
    const view = (await getPayin(orderId)) as { requisite?: { method: string } };
    assert.equal(view.requisite?.method, 'card');
  });

  it('should return the same order for the same Idempotency-Key and 409 for a different body', async () => {
    const again = await createPayin('e2e-key-1');
    assert.equal(again.status, 201);
    assert.equal(((await again.json()) as { id: string }).id, orderId);
    const different = await createPayin('e2e-key-1', { ...PAYIN, amount: '2000.00' });
    assert.equal(different.status, 409);
    assert.match(((await different.json()) as { type: string }).type, /order-id-conflict/);
  });

  it('should complete the order when its trader confirms, with a reconciled ledger', async () => {
    const engine = await orderEngine();
    const traderId = (await engine.getOrder('demo-a', orderId)).assignment?.traderId;
    assert.ok(traderId, 'the order has a trader');
    const bearer = await token(traderId, ['trader']);
    const listed = (await (await call('/api/v1/trader/orders', { bearer })).json()) as { items: { id: string; customerRef?: string }[] };
    const mine = listed.items.find((o) => o.id === orderId);
    assert.ok(mine, 'the trader sees his order');
    assert.equal(mine.customerRef, undefined, 'traders never see the customer reference');
    const res = await call(`/api/v1/trader/orders/${orderId}/confirm`, { method: 'POST', bearer });
    assert.equal(res.status, 200);
    assert.equal(((await res.json()) as { status: string }).status, 'completed');
    await waitForStatus(orderId, 'completed');
    const settled = await engine.getOrder('demo-a', orderId);
    assert.ok(settled.ledger.settle, 'the settle journal is posted');
    // The orchestration heard the confirmation, ran finalize and finished.
    const instance = await eventually(async () => {
      const res = await fetch(`${host.origin}/runtime/webhooks/durabletask/instances/${orderId}`);
      const body = res.ok ? ((await res.json()) as { runtimeStatus?: string; output?: unknown }) : undefined;
      return body?.runtimeStatus === 'Completed' ? body : undefined;
    }, 'the orchestration to complete');
    assert.equal(instance.output, 'completed');
    const report = await createOrderEngine({ store: engine.deps.store, clock: engine.deps.clock, settings: engine.deps.settings }).reconcile();
    assert.equal(report.ok, true, JSON.stringify(report));

    // An illegal transition: confirming a completed order answers 409 with the current status.
    const twice = await call(`/api/v1/trader/orders/${orderId}/confirm`, { method: 'POST', bearer });
    assert.equal(twice.status, 409);
    const problem = (await twice.json()) as { type: string; currentStatus?: string };
    assert.match(problem.type, /illegal-transition/);
    assert.equal(problem.currentStatus, 'completed');
  });

  it('should refuse another trader and a merchant key on the trader API', async () => {
    const other = await call(`/api/v1/trader/orders/${orderId}/cancel`, { method: 'POST', bearer: await token('trader-nobody', ['trader']) });
    assert.equal(other.status, 403);
    const merchant = await call('/api/v1/trader/orders', { apiKey: 'demo-a-key' });
    assert.equal(merchant.status, 403);
  });

  it('should fail an order no requisite fits after the configured retries, and tell the merchant', async () => {
    // No trader takes USD by SBP.
    const res = await createPayin('e2e-key-usd', { amount: '50.00', currency: 'USD', method: 'sbp', customerRef: 'customer-e2e-3' });
    assert.equal(res.status, 201);
    const { id } = (await res.json()) as { id: string };
    await waitForStatus(id, 'failed');
    const order = await (await orderEngine()).getOrder('demo-a', id);
    assert.equal(order.failureReason, 'no-requisite-available');
    // Two attempts (MAX_ORDER_RETRIES + 1): the first leaves it `retrying`, the durable retry fails it.
    assert.deepEqual(order.history.map((h) => h.event).filter((e) => e === 'retry' || e === 'fail'), ['retry', 'fail']);
    await eventually(async () => (lines.some((l) => l.includes(`${id}:order.status_changed:failed`)) ? true : undefined), 'the failed webhook');
  });

  it('should start one orchestration for a message delivered twice', async () => {
    const engine = await orderEngine();
    // Created without the API, so only the two messages below exist for it.
    const order = await engine.createOrder({
      tenantId: 'demo-a',
      direction: 'payin',
      body: { ...PAYIN, customerRef: 'customer-e2e-2' },
      orderId: `dup-${randomBytes(4).toString('hex')}`,
      actor: { role: 'merchant', id: 'test', tenantId: 'demo-a' },
    });
    const ref = { tenantId: 'demo-a', orderId: order.id };
    await Promise.all([enqueueOrder(ref, `${order.id}:first`), enqueueOrder(ref, `${order.id}:second`)]);
    await waitForStatus(order.id, 'assigned');
    const outcomes = await eventually(async () => {
      const seen = lines.filter((l) => l.includes(`order ${order.id}: orchestration`));
      return seen.length >= 2 ? seen : undefined;
    }, 'both deliveries');
    assert.equal(outcomes.filter((l) => l.includes('orchestration started')).length, 1, outcomes.join('\n'));
    assert.equal(outcomes.filter((l) => l.includes('orchestration already-exists')).length, 1, outcomes.join('\n'));
    const assigns = (await engine.getOrder('demo-a', order.id)).history.filter((h) => h.event === 'assign');
    assert.equal(assigns.length, 1);
    // No order function failed, except assign attempts that asked for a durable retry on purpose.
    const failures = lines.filter((l) => /^(ERROR|FAILED)/.test(l) && !l.includes('deliverWebhooks') && !l.includes('has no requisite yet'));
    assert.deepEqual(failures, [], 'no order function failed');
  });

  it('should leave balances and postings as one delivery left them when every message and activity runs twice', async () => {
    const engine = await orderEngine();
    // Platform support: only the operator's neutral staff resolve disputes.
    const support = await token('support-e2e', ['support'], 'platform');
    const supportActor = { role: 'support' as const, id: 'support-e2e', tenantId: 'platform' };
    const durableApi = `${host.origin}/runtime/webhooks/durabletask/instances`;
    const raise = (id: string, order: OrderDoc) =>
      fetch(`${durableApi}/${id}/raiseEvent/${ORDER_EVENTS.statusChanged}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(snapshotOf(order)) });
    // How each order ends: through the HTTP API where one exists, else as staff in-process plus the event the API would raise.
    const plans = [
      { direction: 'payin', end: 'trader-confirm' },
      { direction: 'payin', end: 'trader-cancel' },
      { direction: 'payin', end: 'dispute-then-complete' },
      { direction: 'payout', end: 'trader-cancel' },
      { direction: 'payout', end: 'staff-confirm' },
    ] as const;
    const run = randomBytes(3).toString('hex');
    const ids: string[] = [];
    for (const [i, plan] of plans.entries()) {
      const res = await call(`/api/v1/${plan.direction}s`, {
        method: 'POST', apiKey: 'demo-a-key', key: `twice-${run}-${i}`,
        body: JSON.stringify({ amount: `${700 + i * 45}.50`, currency: 'RUB', method: 'card', customerRef: `twice-${run}-${i}`, ...(plan.direction === 'payout' ? { payee: { cardNumber: '4111 1111 1111 1111', holderName: 'ANNA K.' } } : {}) }),
      });
      assert.equal(res.status, 201, await res.clone().text());
      const { id } = (await res.json()) as { id: string };
      ids.push(id);
      // The create already enqueued `order:{id}`; the same message again under another id, at once.
      await enqueueOrder({ tenantId: 'demo-a', orderId: id }, `${id}:again`);
    }
    for (const id of ids) await eventually(async () => ((await engine.getOrder('demo-a', id)).status === 'assigned' ? true : undefined), `${id} assigned`);
    for (const [i, plan] of plans.entries()) {
      const id = ids[i]!;
      const trader = await token((await engine.getOrder('demo-a', id)).assignment?.traderId ?? '', ['trader']);
      const post = async (route: string, init: { bearer?: string; apiKey?: string; body?: string } = {}) => {
        const res = await call(route, { method: 'POST', ...init });
        assert.equal(res.status, 200, `${route}: ${await res.text()}`);
      };
      switch (plan.end) {
        case 'trader-confirm': await post(`/api/v1/trader/orders/${id}/confirm`, { bearer: trader }); break;
        case 'trader-cancel': await post(`/api/v1/trader/orders/${id}/cancel`, { bearer: trader }); break;
        case 'dispute-then-complete':
          await post(`/api/v1/payins/${id}/confirm`, { apiKey: 'demo-a-key' });
          await post(`/api/v1/support/orders/${id}/dispute`, { bearer: support });
          await post(`/api/v1/support/orders/${id}/resolve`, { bearer: support, body: JSON.stringify({ outcome: 'complete' }) });
          break;
        case 'staff-confirm': await raise(id, await engine.applyOrderAction(supportActor, 'demo-a', id, { action: 'confirm' })); break;
      }
    }
    const finished = async (id: string) => {
      const res = await fetch(`${durableApi}/${id}`);
      const body = res.ok ? ((await res.json()) as { runtimeStatus?: string; output?: unknown }) : undefined;
      return body?.runtimeStatus === 'Completed' ? body.output : undefined;
    };
    const outputs = await Promise.all(ids.map((id) => eventually(() => finished(id), `orchestration ${id} to complete`)));
    assert.deepEqual(outputs, ['completed', 'cancelled', 'completed', 'cancelled', 'completed']);
    const once = await ledgerState(engine, ids);

    // Every delivery again, twice at once: queue messages (fresh ids, so the broker cannot drop them),
    // each activity's work (assign, fail, expire, sync/finalize, notify) and the status event.
    const deliveries = (id: string) => lines.filter((l) => l.includes(`order ${id}: orchestration`)).length;
    const before = Object.fromEntries(ids.map((id) => [id, deliveries(id)]));
    await Promise.all(ids.flatMap((id) => {
      const ref = { tenantId: 'demo-a', orderId: id };
      const again = async () => {
        const order = await engine.getOrder('demo-a', id);
        await Promise.all([
          enqueueOrder(ref, `${id}:replay:${randomBytes(4).toString('hex')}`),
          assignAttempt(engine.deps, 'demo-a', id),
          failOrder(engine.deps, 'demo-a', id, 'no-requisite-available'),
          engine.expireOrder('demo-a', id),
          engine.finalizeOrder('demo-a', id),
          sendWebhook({ tenantId: 'demo-a', event: orderStatusWebhook(order), callbackUrl: order.callbackUrl }),
          raise(id, order),
        ]);
      };
      return [again(), again()];
    }));
    await eventually(async () => (ids.every((id) => deliveries(id) >= before[id]! + 2) ? true : undefined), 'the replayed messages to be handled');

    assert.deepEqual(await ledgerState(engine, ids), once, 'nothing moved');
    for (const id of ids) {
      const seen = lines.filter((l) => l.includes(`order ${id}: orchestration`));
      assert.equal(seen.filter((l) => l.includes('orchestration started')).length, 1, `one orchestration for ${id}: ${seen.join(' | ')}`);
      assert.equal((await engine.getOrder('demo-a', id)).history.filter((h) => h.event === 'assign').length, 1);
    }
    assert.deepEqual(await Promise.all(ids.map(finished)), outputs, 'no orchestration restarted');
    const report = await engine.reconcile();
    assert.equal(report.ok, true, JSON.stringify(report));
  });

  it('should start a terminated order orchestration again on the next message, and settle the order once', async () => {
    const engine = await orderEngine();
    const res = await createPayin(`restart-${randomBytes(3).toString('hex')}`, { ...PAYIN, amount: '1234.00', customerRef: 'customer-e2e-restart' });
    assert.equal(res.status, 201);
    const { id } = (await res.json()) as { id: string };
    await waitForStatus(id, 'assigned');
    const instance = async () => (await (await fetch(`${host.origin}/runtime/webhooks/durabletask/instances/${id}`)).json()) as { runtimeStatus?: string; output?: unknown };
    // The run dies (terminated as an operator would, or failed): the order is assigned but nothing waits for its payment.
    assert.equal((await fetch(`${host.origin}/runtime/webhooks/durabletask/instances/${id}/terminate?reason=test`, { method: 'POST' })).status, 202);
    await eventually(async () => ((await instance()).runtimeStatus === 'Terminated' ? true : undefined), 'the termination');
    // The next message for the order (here the sweeper's kind: a fresh message id) starts it again.
    await enqueueOrder({ tenantId: 'demo-a', orderId: id }, `${id}:after-terminate`);
    await eventually(async () => (lines.some((l) => l.includes(`order ${id}: orchestration restarted`)) ? true : undefined), 'the restart');
    await eventually(async () => ((await instance()).runtimeStatus === 'Running' ? true : undefined), 'the new run');
    const trader = await token((await engine.getOrder('demo-a', id)).assignment?.traderId ?? '', ['trader']);
    assert.equal((await call(`/api/v1/trader/orders/${id}/confirm`, { method: 'POST', bearer: trader })).status, 200);
    const done = await eventually(async () => {
      const status = await instance();
      return status.runtimeStatus === 'Completed' ? status : undefined;
    }, 'the new run to complete');
    assert.equal(done.output, 'completed');
    const order = await engine.getOrder('demo-a', id);
    assert.equal(order.history.filter((h) => h.event === 'assign').length, 1, 'assigned once across both runs');
    assert.ok(order.ledger.settle);
    assert.equal((await engine.reconcile()).ok, true);
  });

  describe('fraud and timeout branches', () => {
    const instance = async (id: string) => {
      const res = await fetch(`${host.origin}/runtime/webhooks/durabletask/instances/${id}`);
      return (res.status === 404 ? {} : await res.json()) as { runtimeStatus?: string; output?: unknown };
    };
    const finishedWith = (id: string) =>
      eventually(async () => {
        const status = await instance(id);
        return status.runtimeStatus === 'Completed' ? status.output : undefined;
      }, `orchestration ${id} to complete`);
    const raise = async (id: string) => {
      const order = await (await orderEngine()).getOrder('demo-a', id);
      const res = await fetch(`${host.origin}/runtime/webhooks/durabletask/instances/${id}/raiseEvent/${ORDER_EVENTS.statusChanged}`, {
        method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(snapshotOf(order)),
      });
      assert.equal(res.status, 202);
    };
    const created = async (body: object) => {
      const res = await createPayin(`branch-${randomBytes(4).toString('hex')}`, body);
      assert.equal(res.status, 201);
      return ((await res.json()) as { id: string }).id;
    };

    it('should fail a block-listed customer\'s order with fraud-denied, audited, and tell the merchant', async () => {
      const id = await created({ ...PAYIN, customerRef: 'customer-e2e-blocked' });
      assert.equal(await finishedWith(id), 'failed');
      const order = await (await orderEngine()).getOrder('demo-a', id);
      assert.deepEqual([order.status, order.failureReason, order.fraud?.decision, order.fraud?.reasons], ['failed', 'fraud-denied', 'DENY', ['customer-blocked']]);
      assert.ok(order.history.some((h) => h.event === 'fraud-check'), 'the decision is on the order history');
      assert.equal(order.assignment, undefined);
      await eventually(async () => (lines.some((l) => l.includes(`${id}:order.status_changed:failed`)) ? true : undefined), 'the failed webhook');
    });

    it('should hold a large order for review and assign it once support approves', async () => {
      const id = await created({ ...PAYIN, amount: '60000.00', customerRef: 'customer-e2e-review' });
      await waitForStatus(id, 'review');
      assert.equal((await instance(id)).runtimeStatus, 'Running', 'the orchestration waits for people');
      // What the admin review endpoint does: the status change, then the event to the orchestration.
      await (await orderEngine()).applyOrderAction({ role: 'support', id: 'support-e2e', tenantId: 'platform' }, 'demo-a', id, { action: 'approve_review' });
      await raise(id);
      await waitForStatus(id, 'assigned');
      const order = await (await orderEngine()).getOrder('demo-a', id);
      assert.equal(order.history.filter((h) => h.event === 'assign').length, 1);
    });

    it('should expire an assigned order when its deadline passes first and give its volume back', async () => {
      const engine = await orderEngine();
      const id = await created({ ...PAYIN, amount: '777.00', customerRef: 'customer-e2e-expiry' });
      await waitForStatus(id, 'assigned');
      const assigned = await engine.getOrder('demo-a', id);
      const requisiteId = assigned.assignment?.requisiteId ?? '';
      const reservationBefore = await engine.deps.store.requisites.item(`reservation:${id}:${requisiteId}`, 'platform').read<ReservationDoc>();
      assert.equal(reservationBefore.resource?.state, 'held');
      // Instead of waiting ORDER_TIMEOUT_MINUTES: the deadline moves to two seconds from now and the
      // orchestration is told something changed; it re-reads the order and races a timer at the new deadline.
      const { _etag, ...rest } = assigned;
      void _etag;
      await engine.deps.store.orders.item(id, 'demo-a').replace({ ...rest, expiresAt: new Date(Date.now() + 2000).toISOString() });
      await raise(id);
      assert.equal(await finishedWith(id), 'expired');
      const expired = await engine.getOrder('demo-a', id);
      assert.deepEqual([expired.status, expired.failureReason], ['expired', 'timeout']);
      const reservation = await engine.deps.store.requisites.item(`reservation:${id}:${requisiteId}`, 'platform').read<ReservationDoc>();
      assert.equal(reservation.resource?.state, 'released', 'the volume went back to the requisite');
      assert.equal((await engine.reconcile()).ok, true);
    });
  });
});
