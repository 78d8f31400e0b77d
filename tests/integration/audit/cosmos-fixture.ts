/**
 * A real Cosmos-protocol server for the audit tests: the suite's shared one when COSMOS_ENDPOINT
 * is set (scripts/test.ts), else one started here on a free loopback port. Each fixture gets its
 * own database with an `audit` container partitioned as in production.
 */
import { randomUUID } from 'node:crypto';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { type Container, CosmosClient } from '@azure/cosmos';
import { COSMOS_CONTAINERS } from '../../../shared/names';
import { PARTITION_KEYS } from '../../../shared/platform/cosmos-containers';

export interface AuditFixture {
  container: Container;
  close(): Promise<void>;
}

async function startServer(): Promise<{ endpoint: string; stop(): Promise<void> }> {
  const shared = process.env['COSMOS_ENDPOINT'];
  if (shared) return { endpoint: shared, stop: async () => {} };
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
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export async function openAuditFixture(): Promise<AuditFixture> {
  const server = await startServer();
  const agent = new https.Agent({ rejectUnauthorized: false, keepAlive: true });
  const client = new CosmosClient({
    endpoint: server.endpoint,
    key: process.env['COSMOS_KEY'] ?? 'local-cosmos-key',
    agent,
    connectionPolicy: { enableEndpointDiscovery: false },
  });
  const { database } = await client.databases.createIfNotExists({ id: `audit-${randomUUID().slice(0, 8)}` });
  const { container } = await database.containers.createIfNotExists({
    id: COSMOS_CONTAINERS.audit,
    partitionKey: { paths: [PARTITION_KEYS.audit] },
  });
  return {
    container,
    async close() {
      await database.delete().catch(() => undefined);
      client.dispose();
      agent.destroy();
      await server.stop();
    },
  };
}
