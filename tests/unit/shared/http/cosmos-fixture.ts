import { randomBytes } from 'node:crypto';
import type { Container } from '@azure/cosmos';
import { openTestCosmos } from '../../../support/test-cosmos';

export interface CosmosFixture {
  /** Creates a container with a random suffix in this test file's own database. */
  container(name: string, partitionKey?: string): Promise<Container>;
  close(): Promise<void>;
}

/**
 * A database unique to the calling test file on the tests' Cosmos server
 * (tests/support/test-cosmos.ts).
 */
export async function openCosmos(): Promise<CosmosFixture> {
  const cosmos = await openTestCosmos();
  const { database } = await cosmos.client.databases.create({ id: `test-${randomBytes(6).toString('hex')}` });
  return {
    async container(name, partitionKey = '/tenantId') {
      const id = `${name}-${randomBytes(4).toString('hex')}`;
      return (await database.containers.create({ id, partitionKey: { paths: [partitionKey] } })).container;
    },
    async close() {
      await database.delete();
      await cosmos.close();
    },
  };
}
