/** The audit tests' Cosmos: a database of their own with an `audit` container partitioned as in production. */
import { randomUUID } from 'node:crypto';
import type { Container } from '@azure/cosmos';
import { COSMOS_CONTAINERS } from '../../../shared/names';
import { PARTITION_KEYS } from '../../../shared/platform/cosmos-containers';
import { openTestCosmos } from '../../support/test-cosmos';

export interface AuditFixture {
  container: Container;
  close(): Promise<void>;
}

export async function openAuditFixture(): Promise<AuditFixture> {
  const cosmos = await openTestCosmos();
  const { database } = await cosmos.client.databases.createIfNotExists({ id: `audit-${randomUUID().slice(0, 8)}` });
  const { container } = await database.containers.createIfNotExists({
    id: COSMOS_CONTAINERS.audit,
    partitionKey: { paths: [PARTITION_KEYS.audit] },
  });
  return {
    container,
    async close() {
      await database.delete().catch(() => undefined);
      await cosmos.close();
    },
  };
}
