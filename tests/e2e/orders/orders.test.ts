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
import { createOrderEngine } from '../../../shared/orders/engine';
import { enqueueOrder, orderEngine } from '../../../shared/wiring/orders';
import { SETTINGS, settingsStore } from '../../../shared/wiring/settings';

const repoRoot = path.resolve(__dirname, '..', '..', '..', '..');
const compiledRoot = path.resolve(__dirname, '..', '..', '..');
const sample = JSON.parse(readFileSync(path.join(repoRoot, 'local.settings.sample.json'), 'utf8')) as { Values: Record<string, string> };
const PAYIN = { amount: '1000.00', currency: 'RUB', method: 'card', customerRef: 'customer-e2e-1' };

/** Polls until `read` returns a value; a generous ceiling, no timing assertion. */
async function eventually<T>(read: () => Promise<T | undefined>, what: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
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
  const token = (subject: string, roles: ('trader' | 'support')[]) =>
    signLocalToken({ secret: sample.Values.LOCAL_JWT_SECRET ?? '', issuer: sample.Values.JWT_ISSUER ?? '', audience: sample.Values.JWT_AUDIENCE ?? '', subject, tenantId: 'demo-a', roles });

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
    // Short retries so the out-of-retries path runs in about a second; everything else keeps its default.
    await (await settingsStore()).put(SETTINGS.orders, { MAX_ORDER_RETRIES: 1, RETRY_BASE_DELAY_SECONDS: 1, RETRY_BACKOFF_FACTOR: 2 }, 'orders-e2e');
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
});
