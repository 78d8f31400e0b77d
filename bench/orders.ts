/**
 * Order-engine figures against the real Cosmos-protocol server (the suite's if
 * COSMOS_ENDPOINT is set, else one started here). Floor: one point read plus
 * one ETag-conditional replace, the least any reservation costs.
 */
import { randomUUID } from 'node:crypto';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { CosmosClient } from '@azure/cosmos';
import { systemClock } from '../shared/platform/clock';
import { createOrderEngine } from '../shared/orders/engine';
import { defaultOrderSettings } from '../shared/orders/settings';
import { ordersStore } from '../shared/orders/store';
import { seedOrders } from '../scripts/seed-data';

const percentile = (values: number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return Math.round((sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0) * 100) / 100;
};

async function timed<T>(fn: () => Promise<T>): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

export async function run(): Promise<Record<string, number | string>> {
  let endpoint = process.env['COSMOS_ENDPOINT'];
  let server: import('node:https').Server | undefined;
  if (!endpoint) {
    const { default: createServer } = require('@vercel/cosmosdb-server') as { default: (o: { keepAlive: boolean }) => import('node:https').Server };
    const started = createServer({ keepAlive: true });
    server = started;
    await new Promise<void>((resolve) => started.listen(0, '127.0.0.1', resolve));
    endpoint = `https://127.0.0.1:${(started.address() as AddressInfo).port}/`;
  }
  const agent = new https.Agent({ rejectUnauthorized: false, keepAlive: true });
  const client = new CosmosClient({ endpoint, key: process.env['COSMOS_KEY'] ?? 'bench', agent, connectionPolicy: { enableEndpointDiscovery: false } });
  const db = client.database(`bench-orders-${randomUUID().slice(0, 8)}`);
  try {
    await seedOrders(db);
    const store = ordersStore(db);
    const engine = createOrderEngine({ store, clock: systemClock, settings: { ...defaultOrderSettings(), FRAUD_MAX_ORDERS_PER_CUSTOMER: 1_000_000 } });
    const actor = { role: 'merchant' as const, id: 'bench', tenantId: 'demo-a' };
    const body = (i: number) => ({ amount: '150.00', currency: 'RUB', method: 'card', customerRef: `bench-${i}` });

    const floor: number[] = [];
    for (let i = 0; i < 50; i += 1) {
      floor.push(await timed(async () => {
        const { resource } = await store.requisites.item('req-card-sber-1', 'platform').read();
        await store.requisites.item('req-card-sber-1', 'platform').replace(resource, { accessCondition: { type: 'IfMatch', condition: resource._etag } });
      }));
    }

    const create: number[] = [];
    const assign: number[] = [];
    const settle: number[] = [];
    for (let i = 0; i < 50; i += 1) {
      const id = `seq-${i}`;
      create.push(await timed(() => engine.createOrder({ tenantId: 'demo-a', direction: 'payin', actor, body: body(i), orderId: id })));
      assign.push(await timed(() => engine.assignOrder('demo-a', id)));
      const order = await engine.getOrder('demo-a', id);
      const trader = { role: 'trader' as const, id: 't', traderId: order.assignment?.traderId ?? '' };
      settle.push(await timed(() => engine.applyOrderAction(trader, 'demo-a', id, { action: 'confirm' })));
    }

    const ids = Array.from({ length: 200 }, (_, i) => `conc-${i}`);
    await Promise.all(ids.map((id, i) => engine.createOrder({ tenantId: 'demo-a', direction: 'payin', actor, body: body(1000 + i), orderId: id })));
    const concurrentMs = await timed(() => Promise.all(ids.map((id) => engine.assignOrder('demo-a', id))));
    const statuses = await Promise.all(ids.map(async (id) => (await engine.getOrder('demo-a', id)).status));
    let report = { ok: false, postings: 0 };
    const reconcileMs = await timed(async () => { report = await engine.reconcile(); });

    return {
      floorReadReplaceMs_p50: percentile(floor, 50),
      createOrderMs_p50: percentile(create, 50),
      assignOrderMs_p50: percentile(assign, 50),
      assignOrderMs_p95: percentile(assign, 95),
      assignOrderOverFloor_ratio: Math.round((percentile(assign, 50) / Math.max(0.01, percentile(floor, 50))) * 10) / 10,
      confirmAndSettleMs_p50: percentile(settle, 50),
      concurrentAssign200_totalMs: Math.round(concurrentMs),
      concurrentAssign200_ordersPerSecond: Math.round((200 / concurrentMs) * 1000),
      concurrentAssign200_assigned: statuses.filter((s) => s === 'assigned').length,
      reconcileMs: Math.round(reconcileMs),
      reconcilePostings: report.postings,
      reconcileOk: String(report.ok),
      cosmosServer: server ? 'in-process @vercel/cosmosdb-server' : 'COSMOS_ENDPOINT',
    };
  } finally {
    await db.delete().catch(() => undefined);
    client.dispose();
    agent.destroy();
    if (server) {
      const s = server;
      s.closeAllConnections?.();
      await new Promise<void>((resolve) => s.close(() => resolve()));
    }
  }
}
