import type { Database } from '@azure/cosmos';
import { COSMOS_CONTAINERS, type CosmosContainerName } from '../names';

/**
 * Partition key of each container. Tenant data is partitioned by tenant so every
 * query stays inside the caller's tenant; `settings` is global; platform-owned
 * order data (traders, requisites) uses the tenant id `platform`; balances are
 * partitioned per account so one hot account never holds everyone's postings. infra/bicep
 * declares the same (a test keeps them in step).
 */
export const PARTITION_KEYS: Record<CosmosContainerName, string> = {
  settings: '/id',
  tenants: '/tenantId',
  verifications: '/tenantId',
  idempotency: '/tenantId',
  merchants: '/tenantId',
  traders: '/tenantId',
  requisites: '/tenantId',
  orders: '/tenantId',
  ledger: '/tenantId',
  balances: '/accountId',
  'reference-data': '/tenantId',
  audit: '/tenantId',
  webhooks: '/tenantId',
  erasures: '/tenantId',
  'rate-limits': '/tenantId',
  'kyc-challenges': '/tenantId',
  'verification-sessions': '/tenantId',
};

/** Creates the database and every container if absent (local mode and tests). */
export async function ensureContainers(db: Database): Promise<void> {
  await db.client.databases.createIfNotExists({ id: db.id });
  for (const id of Object.values(COSMOS_CONTAINERS)) {
    await db.containers.createIfNotExists({ id, partitionKey: { paths: [PARTITION_KEYS[id]] } });
  }
}
