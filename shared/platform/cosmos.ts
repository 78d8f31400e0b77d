/**
 * The Cosmos database, created lazily (the SDK costs ~170 ms to load).
 * Locally it talks to `@vercel/cosmosdb-server`, whose self-signed certificate is
 * accepted only in local mode; on Azure it uses the managed identity.
 */
import type { Container, Database } from '@azure/cosmos';
import { config, type AppConfig } from '../config';
import { azureCredential } from './credential';
import { ensureContainers } from './cosmos-containers';
import type { CosmosContainerName } from '../names';

let database: Promise<Database> | undefined;

/** The settings a Cosmos connection needs (the admin CLI passes these without a whole app config). */
export type CosmosSettings = Pick<AppConfig, 'VOUCH_MODE' | 'COSMOS_ENDPOINT' | 'COSMOS_KEY' | 'COSMOS_DATABASE'>;

export function openDatabase(cfg: CosmosSettings): Database {
  const { CosmosClient } = require('@azure/cosmos') as typeof import('@azure/cosmos');
  if (cfg.VOUCH_MODE === 'local') {
    const https = require('node:https') as typeof import('node:https');
    const client = new CosmosClient({
      endpoint: cfg.COSMOS_ENDPOINT,
      key: cfg.COSMOS_KEY,
      agent: new https.Agent({ rejectUnauthorized: false, keepAlive: true }),
      connectionPolicy: { enableEndpointDiscovery: false },
    });
    return client.database(cfg.COSMOS_DATABASE);
  }
  const client = new CosmosClient({ endpoint: cfg.COSMOS_ENDPOINT, aadCredentials: azureCredential() });
  return client.database(cfg.COSMOS_DATABASE);
}

/** The app's database; locally its containers are created on first use (bicep creates them on Azure). */
export function cosmosDatabase(): Promise<Database> {
  database ??= (async () => {
    const cfg = config();
    const db = openDatabase(cfg);
    if (cfg.VOUCH_MODE === 'local') await ensureContainers(db);
    return db;
  })().catch((error: unknown) => {
    database = undefined; // let the next call try again
    throw error;
  });
  return database;
}

export async function cosmosContainer(name: CosmosContainerName): Promise<Container> {
  return (await cosmosDatabase()).container(name);
}
