/**
 * Order-engine figures against the real Cosmos-protocol server, which runs in a
 * child process here (as a real Cosmos account is another machine) and counts
 * the HTTP requests it serves: Cosmos round trips. The bench's own reads use a
 * client with a marked user agent that the counter leaves out.
 *
 * Sections, all in one run:
 * - sequential: create / assign / confirm+settle latency (one order at a time),
 *   round trips per create and per assign; floor: one point read + one
 *   ETag-conditional replace, the least any reservation costs.
 * - 200 assigned at once (existing figures).
 * - 16 producers through the engine: each creates a pay-in and assigns it (what
 *   the HTTP function and the queue worker do), until 400 are assigned: orders
 *   assigned per second, p50/p95 create-to-assigned, round trips per order.
 *   Floor: 16 producers each doing create + read + conditional replace on
 *   documents of their own (no contention), the writes an assignment cannot avoid.
 * - 16 producers through the local runtime: POST /api/v1/payins → Service Bus
 *   queue → durable orchestration → assign activity, timed with the order's own
 *   createdAt/assignedAt; round trips are every Cosmos request the app made.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import https from 'node:https';
import { CosmosClient, type Container, type Database } from '@azure/cosmos';
import { freePorts } from '../runtime/storage/free-ports';
import { COSMOS_CONTAINERS } from '../shared/names';
import { systemClock } from '../shared/platform/clock';
import type { OrderDoc } from '../shared/orders/documents';
import { createOrderEngine, type OrderEngine } from '../shared/orders/engine';
import { defaultOrderSettings } from '../shared/orders/settings';
import { ordersStore } from '../shared/orders/store';
import { seedOrders } from '../scripts/seed-data';
import { startE2eHost } from '../tests/support/e2e-host';
import { percentile, round } from './stats';

const PRODUCERS = 16;
const ENGINE_ORDERS = 400;
const RUNTIME_ORDERS = 160;
/** The bench's own requests carry this in their user agent; the server does not count them. */
const UNCOUNTED = 'vouch-bench-uncounted';

const SERVER_SCRIPT = `
const { createCosmosServer } = require(${JSON.stringify(require.resolve('../runtime/storage/cosmos-batch'))});
const marker = process.argv[2];
let counted = 0;
const server = createCosmosServer({ keepAlive: true });
server.on('request', (req) => {
  const agent = String(req.headers['user-agent'] ?? '') + String(req.headers['x-ms-useragent'] ?? '');
  if (!agent.includes(marker)) counted += 1;
});
server.listen(Number(process.argv[1]), '127.0.0.1', () => process.stdout.write('ready\\n'));
process.stdin.setEncoding('utf8');
process.stdin.on('data', () => process.stdout.write(counted + '\\n'));
process.stdin.on('end', () => process.exit(0));
`;

interface CountingCosmos {
  endpoint: string;
  /** Requests served so far, the bench's own excluded. */
  requests(): Promise<number>;
  stop(): Promise<void>;
}

async function startCountingCosmos(): Promise<CountingCosmos> {
  const port = await freePorts(1);
  const child: ChildProcess = spawn(process.execPath, ['-e', SERVER_SCRIPT, String(port), UNCOUNTED], { cwd: __dirname, stdio: ['pipe', 'pipe', 'inherit'] });
  const waiting: ((line: string) => void)[] = [];
  let buffered = '';
  child.stdout?.setEncoding('utf8');
  child.stdout?.on('data', (chunk: string) => {
    buffered += chunk;
    for (let nl = buffered.indexOf('\n'); nl >= 0; nl = buffered.indexOf('\n')) {
      const line = buffered.slice(0, nl);
      buffered = buffered.slice(nl + 1);
      waiting.shift()?.(line);
    }
  });
  const nextLine = () => new Promise<string>((resolve) => waiting.push(resolve));
  await nextLine(); // ready
  return {
    endpoint: `https://127.0.0.1:${port}/`,
    async requests() {
      const line = nextLine();
      child.stdin?.write('?\n');
      return Number(await line);
    },
    async stop() {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.stdin?.end();
      await exited;
    },
  };
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

/** `producers` loops taking item numbers 0..total-1 from one counter. */
async function produce(producers: number, total: number, work: (i: number) => Promise<void>): Promise<number> {
  let next = 0;
  return timed(() =>
    Promise.all(Array.from({ length: producers }, async () => {
      for (let i = next++; i < total; i = next++) await work(i);
    })),
  );
}

const perSecond = (count: number, ms: number) => round((count / ms) * 1000, 1);
const actor = { role: 'merchant' as const, id: 'bench', tenantId: 'demo-a' };
const payin = (ref: string) => ({ amount: '150.00', currency: 'RUB', method: 'card', customerRef: ref });
const benchSettings = { ...defaultOrderSettings(), FRAUD_MAX_ORDERS_PER_CUSTOMER: 1_000_000 };

async function sequential(engine: OrderEngine, db: Database, cosmos: CountingCosmos) {
  const probe = db.container('bench-floor');
  await db.containers.createIfNotExists({ id: probe.id, partitionKey: { paths: ['/id'] } });
  await probe.items.create({ id: 'doc', n: 0 });
  const floor: number[] = [];
  for (let i = 0; i < 50; i += 1) floor.push(await timed(() => readReplace(probe, 'doc')));

  const create: number[] = [];
  const assign: number[] = [];
  const settle: number[] = [];
  let createRequests = 0;
  let assignRequests = 0;
  for (let i = 0; i < 50; i += 1) {
    const id = `seq-${i}`;
    const r0 = await cosmos.requests();
    create.push(await timed(() => engine.createOrder({ tenantId: 'demo-a', direction: 'payin', actor, body: payin(`seq-${i}`), orderId: id })));
    const r1 = await cosmos.requests();
    const assigned = { order: undefined as OrderDoc | undefined };
    assign.push(await timed(async () => (assigned.order = (await engine.assignOrder('demo-a', id)).order)));
    const r2 = await cosmos.requests();
    createRequests += r1 - r0;
    assignRequests += r2 - r1;
    const trader = { role: 'trader' as const, id: 't', traderId: assigned.order?.assignment?.traderId ?? '' };
    settle.push(await timed(() => engine.applyOrderAction(trader, 'demo-a', id, { action: 'confirm' })));
  }
  return {
    floorReadReplaceMs_p50: round(percentile(floor, 50), 2),
    createOrderMs_p50: round(percentile(create, 50), 2),
    assignOrderMs_p50: round(percentile(assign, 50), 2),
    assignOrderMs_p95: round(percentile(assign, 95), 2),
    assignOrderOverFloor_ratio: round(percentile(assign, 50) / Math.max(0.01, percentile(floor, 50))),
    confirmAndSettleMs_p50: round(percentile(settle, 50), 2),
    cosmosRequestsPerCreate_sequential: round(createRequests / 50, 1),
    cosmosRequestsPerAssign_sequential: round(assignRequests / 50, 1),
  };
}

async function readReplace(container: Container, id: string): Promise<void> {
  const { resource } = await container.item(id, id).read<{ id: string; n: number; _etag: string }>();
  if (!resource) throw new Error(`bench document ${id} missing`);
  await container.item(id, id).replace({ ...resource, n: resource.n + 1 }, { accessCondition: { type: 'IfMatch', condition: resource._etag } });
}

async function concurrent200(engine: OrderEngine) {
  const ids = Array.from({ length: 200 }, (_, i) => `conc-${i}`);
  await Promise.all(ids.map((id, i) => engine.createOrder({ tenantId: 'demo-a', direction: 'payin', actor, body: payin(`conc-${i}`), orderId: id })));
  const concurrentMs = await timed(() => Promise.all(ids.map((id) => engine.assignOrder('demo-a', id))));
  const statuses = await Promise.all(ids.map(async (id) => (await engine.getOrder('demo-a', id)).status));
  return {
    concurrentAssign200_totalMs: Math.round(concurrentMs),
    concurrentAssign200_ordersPerSecond: Math.round((200 / concurrentMs) * 1000),
    concurrentAssign200_assigned: statuses.filter((s) => s === 'assigned').length,
  };
}

async function producersThroughEngine(engine: OrderEngine, db: Database, cosmos: CountingCosmos, orders = ENGINE_ORDERS) {
  const floorDocs = db.container('bench-floor');
  const floorLatency: number[] = [];
  const floorMs = await produce(PRODUCERS, orders, async (i) => {
    floorLatency.push(await timed(async () => {
      await floorDocs.items.create({ id: `floor-${i}`, n: 0 });
      await readReplace(floorDocs, `floor-${i}`);
    }));
  });

  const latency: number[] = [];
  let assigned = 0;
  const before = await cosmos.requests();
  const wallMs = await produce(PRODUCERS, orders, async (i) => {
    const started = performance.now();
    const id = `p16-${i}`;
    await engine.createOrder({ tenantId: 'demo-a', direction: 'payin', actor, body: payin(`p16-${i}`), orderId: id });
    if ((await engine.assignOrder('demo-a', id)).outcome !== 'assigned') return;
    assigned += 1;
    latency.push(performance.now() - started);
  });
  const requests = (await cosmos.requests()) - before;
  return {
    producers16_engine_ordersAssigned: assigned,
    producers16_engine_assignedPerSecond: perSecond(assigned, wallMs),
    producers16_engine_createToAssignedMs_p50: round(percentile(latency, 50), 1),
    producers16_engine_createToAssignedMs_p95: round(percentile(latency, 95), 1),
    producers16_engine_cosmosRequestsPerOrder: round(requests / orders, 1),
    producers16_floorCreateReadReplacePerSecond: perSecond(orders, floorMs),
    producers16_floorCreateReadReplaceMs_p50: round(percentile(floorLatency, 50), 1),
    producers16_floorCosmosRequestsPerOrder: 3,
    producers16_engineOverFloor_throughputRatio: round(perSecond(orders, floorMs) / Math.max(0.1, perSecond(assigned, wallMs)), 1),
  };
}

async function producersThroughRuntime(cosmos: CountingCosmos) {
  const saved = { endpoint: process.env['COSMOS_ENDPOINT'], key: process.env['COSMOS_KEY'] };
  process.env['COSMOS_ENDPOINT'] = cosmos.endpoint;
  process.env['COSMOS_KEY'] = 'bench';
  const host = await startE2eHost();
  const agent = new https.Agent({ rejectUnauthorized: false, keepAlive: true });
  const client = new CosmosClient({ endpoint: cosmos.endpoint, key: 'bench', agent, userAgentSuffix: UNCOUNTED, connectionPolicy: { enableEndpointDiscovery: false } });
  try {
    const orders = client.database(host.settings['COSMOS_DATABASE'] ?? '').container(COSMOS_CONTAINERS.orders);
    const run = randomUUID().slice(0, 8);
    // One pay-in first, so start-up work (containers, seed, settings) is not counted as the orders'.
    await waitAssigned(orders, [await postPayin(host.origin, `${run}-warm`)]);
    const before = await cosmos.requests();
    const startedAt = Date.now();
    const ids: string[] = [];
    await produce(PRODUCERS, RUNTIME_ORDERS, async (i) => void ids.push(await postPayin(host.origin, `${run}-${i}`)));
    const done = await waitAssigned(orders, ids);
    const requests = (await cosmos.requests()) - before;
    const latency = done.map((o) => Date.parse(o.assignment?.assignedAt ?? '') - Date.parse(o.createdAt));
    const lastAssigned = Math.max(...done.map((o) => Date.parse(o.assignment?.assignedAt ?? '')));
    return {
      producers16_runtime_ordersAssigned: done.length,
      producers16_runtime_assignedPerSecond: perSecond(done.length, lastAssigned - startedAt),
      producers16_runtime_createToAssignedMs_p50: round(percentile(latency, 50), 1),
      producers16_runtime_createToAssignedMs_p95: round(percentile(latency, 95), 1),
      producers16_runtime_cosmosRequestsPerOrder: round(requests / RUNTIME_ORDERS, 1),
    };
  } finally {
    client.dispose();
    agent.destroy();
    await host.stop();
    process.env['COSMOS_ENDPOINT'] = saved.endpoint;
    process.env['COSMOS_KEY'] = saved.key;
    if (saved.endpoint === undefined) delete process.env['COSMOS_ENDPOINT'];
    if (saved.key === undefined) delete process.env['COSMOS_KEY'];
  }
}

async function postPayin(origin: string, key: string): Promise<string> {
  const res = await fetch(`${origin}/api/v1/payins`, {
    method: 'POST',
    headers: { 'x-api-key': 'demo-a-key', 'idempotency-key': `bench-${key}`, 'content-type': 'application/json' },
    body: JSON.stringify(payin(`bench-${key}`)),
  });
  const body = await res.text();
  if (res.status !== 201) throw new Error(`POST /api/v1/payins: ${res.status} ${body}`);
  return (JSON.parse(body) as { id: string }).id;
}

/** Polls (uncounted) until every order left `new`/`retrying`; the assigned ones are returned. */
async function waitAssigned(orders: Container, ids: string[], timeoutMs = 180_000): Promise<OrderDoc[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { resources } = await orders.items
      .query<OrderDoc>({ query: 'SELECT * FROM c WHERE ARRAY_CONTAINS(@ids, c.id)', parameters: [{ name: '@ids', value: ids }] }, { partitionKey: 'demo-a' })
      .fetchAll();
    if (resources.length === ids.length && resources.every((o) => o.status !== 'new' && o.status !== 'retrying')) {
      return resources.filter((o) => o.assignment);
    }
    if (Date.now() > deadline) throw new Error(`orders not assigned within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Runs `measure` on a seeded database of its own on a counting Cosmos server, then removes both. */
async function onBenchDatabase(
  measure: (engine: OrderEngine, db: Database, cosmos: CountingCosmos) => Promise<Record<string, number | string>>,
): Promise<Record<string, number | string>> {
  const cosmos = await startCountingCosmos();
  const agent = new https.Agent({ rejectUnauthorized: false, keepAlive: true });
  const client = new CosmosClient({ endpoint: cosmos.endpoint, key: 'bench', agent, connectionPolicy: { enableEndpointDiscovery: false } });
  const db = client.database(`bench-orders-${randomUUID().slice(0, 8)}`);
  try {
    await seedOrders(db);
    await db.containers.createIfNotExists({ id: 'bench-floor', partitionKey: { paths: ['/id'] } });
    const engine = createOrderEngine({ store: ordersStore(db), clock: systemClock, settings: benchSettings });
    return { ...(await measure(engine, db, cosmos)), cosmosServer: '@vercel/cosmosdb-server in a child process (counts requests)' };
  } finally {
    await db.delete().catch(() => undefined);
    client.dispose();
    agent.destroy();
    await cosmos.stop();
  }
}

/**
 * `npm run bench -- ordersRuntime`: only the 16 producers through the local runtime, with the same
 * producers through the engine alone (same orders, same Cosmos server) as its floor, measured first.
 */
export function runThroughRuntime(): Promise<Record<string, number | string>> {
  return onBenchDatabase(async (engine, db, cosmos) => ({
    ...(await producersThroughEngine(engine, db, cosmos, RUNTIME_ORDERS)),
    ...(await producersThroughRuntime(cosmos)),
  }));
}

export function run(): Promise<Record<string, number | string>> {
  return onBenchDatabase(async (engine, db, cosmos) => {
    const figures: Record<string, number | string> = {
      ...(await sequential(engine, db, cosmos)),
      ...(await concurrent200(engine)),
    };
    let report = { ok: false, postings: 0 };
    const reconcileMs = await timed(async () => (report = await engine.reconcile()));
    Object.assign(figures, { reconcileMs: Math.round(reconcileMs), reconcilePostings: report.postings, reconcileOk: String(report.ok) });
    Object.assign(figures, await producersThroughEngine(engine, db, cosmos));
    Object.assign(figures, await producersThroughRuntime(cosmos));
    figures['cosmosServer'] = '@vercel/cosmosdb-server with the atomic transactional batch (runtime/storage/cosmos-batch.ts) in a child process (counts requests)';
    return figures;
  });
}
