/**
 * A real Cosmos-protocol server for order-engine integration tests: the suite's
 * shared one when COSMOS_ENDPOINT is set (scripts/test.ts), else one started
 * here on a free loopback port. Each call gets its own database.
 */
import { randomUUID } from 'node:crypto';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { CosmosClient, type Database } from '@azure/cosmos';
import { ManualClock } from '../../../shared/platform/clock';
import { createOrderEngine, type OrderEngine } from '../../../shared/orders/engine';
import { defaultOrderSettings, type OrderSettings } from '../../../shared/orders/settings';
import { ensureOrderContainers, type OrdersStore } from '../../../shared/orders/store';

export interface OrdersFixture {
  db: Database;
  store: OrdersStore;
  clock: ManualClock;
  engine(settings?: Partial<OrderSettings>): OrderEngine;
  close(): Promise<void>;
}

async function startServer(): Promise<{ endpoint: string; stop(): Promise<void> }> {
  if (process.env['COSMOS_ENDPOINT']) return { endpoint: process.env['COSMOS_ENDPOINT'], stop: async () => {} };
  const { default: createServer } = require('@vercel/cosmosdb-server') as {
    default: (options: { keepAlive: boolean }) => import('node:https').Server;
  };
  const server = createServer({ keepAlive: true });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `https://127.0.0.1:${port}/`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}

export interface FixtureOptions {
  /** Keep the in-process write queue (default false: tests make ETags alone arbitrate every race). */
  localLocks?: boolean;
  now?: Date;
}

export async function openOrdersFixture(name: string, options: FixtureOptions = {}): Promise<OrdersFixture> {
  const now = options.now ?? new Date('2026-11-23T12:00:00.000Z');
  const server = await startServer();
  const agent = new https.Agent({ rejectUnauthorized: false, keepAlive: true });
  const client = new CosmosClient({
    endpoint: server.endpoint,
    key: process.env['COSMOS_KEY'] ?? 'local-key',
    agent,
    connectionPolicy: { enableEndpointDiscovery: false },
  });
  const db = client.database(`orders-${name}-${randomUUID().slice(0, 8)}`);
  const ensured = await ensureOrderContainers(db);
  const store: OrdersStore = options.localLocks ? ensured : { ...ensured, locks: undefined };
  const clock = new ManualClock(now);
  return {
    db,
    store,
    clock,
    engine: (settings = {}) => createOrderEngine({ store, clock, settings: { ...defaultOrderSettings(), ...settings } }),
    async close() {
      await db.delete().catch(() => undefined);
      client.dispose();
      agent.destroy();
      await server.stop();
    },
  };
}
