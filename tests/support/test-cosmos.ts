/**
 * A Cosmos client for tests: on the suite's Cosmos-protocol server (`COSMOS_ENDPOINT`/`COSMOS_KEY`,
 * started by scripts/test.ts), or on one started here on a free loopback port when a test file
 * runs alone. The server's self-signed certificate is accepted here only, in test wiring.
 */
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { CosmosClient } from '@azure/cosmos';
import { createCosmosServer } from '../../runtime/storage/cosmos-batch';

export interface TestCosmos {
  client: CosmosClient;
  /** The server's endpoint (for code that opens its own client, e.g. a CLI). */
  endpoint: string;
  /** Disposes the client and stops the server if this call started one. */
  close(): Promise<void>;
}

/** A client for an endpoint the caller already has (e.g. a host's settings). */
export function testCosmosClient(endpoint: string, key: string): { client: CosmosClient; agent: https.Agent } {
  const agent = new https.Agent({ rejectUnauthorized: false, keepAlive: true });
  return { client: new CosmosClient({ endpoint, key, agent, connectionPolicy: { enableEndpointDiscovery: false } }), agent };
}

export async function openTestCosmos(): Promise<TestCosmos> {
  let endpoint = process.env.COSMOS_ENDPOINT;
  let stopServer = async () => {};
  if (!endpoint) {
    const server = createCosmosServer({ keepAlive: true });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    endpoint = `https://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    stopServer = () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
  }
  const { client, agent } = testCosmosClient(endpoint, process.env.COSMOS_KEY ?? 'local-cosmos-key');
  return {
    client,
    endpoint,
    async close() {
      client.dispose();
      agent.destroy();
      await stopServer();
    },
  };
}
