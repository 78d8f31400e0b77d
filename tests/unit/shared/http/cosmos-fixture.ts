import { randomBytes } from 'node:crypto';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { type Container, CosmosClient } from '@azure/cosmos';
import createCosmosServer from '@vercel/cosmosdb-server';

export interface CosmosFixture {
  /** Creates a container with a random suffix in this test file's own database. */
  container(name: string, partitionKey?: string): Promise<Container>;
  close(): Promise<void>;
}

/**
 * A database unique to the calling test file on the suite's Cosmos server
 * (`COSMOS_ENDPOINT`/`COSMOS_KEY`), or on a server started here on a free port when unset.
 */
export async function openCosmos(): Promise<CosmosFixture> {
  let endpoint = process.env.COSMOS_ENDPOINT;
  let stopServer = async () => {};
  if (!endpoint) {
    const server = createCosmosServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    endpoint = `https://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    stopServer = () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  }
  const agent = new https.Agent({ rejectUnauthorized: false, keepAlive: false });
  const client = new CosmosClient({
    endpoint,
    key: process.env.COSMOS_KEY ?? 'test-key',
    agent,
    connectionPolicy: { enableEndpointDiscovery: false },
  });
  const { database } = await client.databases.create({ id: `test-${randomBytes(6).toString('hex')}` });
  return {
    async container(name, partitionKey = '/tenantId') {
      const id = `${name}-${randomBytes(4).toString('hex')}`;
      return (await database.containers.create({ id, partitionKey: { paths: [partitionKey] } })).container;
    },
    async close() {
      await database.delete();
      client.dispose();
      agent.destroy();
      await stopServer();
    },
  };
}
