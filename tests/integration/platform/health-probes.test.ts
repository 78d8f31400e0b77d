/**
 * `/api/health` must work for an identity that holds data roles only. Azurite stands in for the
 * account: a container-scoped SAS (no account-level permission at all) is enough for the blob
 * probe, while the account-level call the probe used to make is refused with the same credential.
 * Cosmos is the local Cosmos-protocol server (a database metadata read).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  BlobServiceClient,
  ContainerSASPermissions,
  generateBlobSASQueryParameters,
  StorageSharedKeyCredential,
  type ContainerClient,
} from '@azure/storage-blob';
import { BLOB_CONTAINERS } from '../../../shared/names';
import { checkHealth } from '../../../shared/platform/health';
import { dependencyProbes } from '../../../shared/platform/health-probes';
import { openTestCosmos, type TestCosmos } from '../../support/test-cosmos';

const connectionString = process.env.AzureWebJobsStorage ?? '';
const part = (key: string) => new RegExp(`${key}=([^;]+)`).exec(connectionString)?.[1] ?? '';

describe('health probes with data-plane access only', () => {
  const container = `health-${Date.now()}`;
  let scoped: BlobServiceClient;
  let admin: ContainerClient;
  let cosmos: TestCosmos;

  before(async () => {
    cosmos = await openTestCosmos();
    await cosmos.client.databases.createIfNotExists({ id: container });
    admin = BlobServiceClient.fromConnectionString(connectionString).getContainerClient(container);
    await admin.createIfNotExists();
    const sas = generateBlobSASQueryParameters(
      { containerName: container, permissions: ContainerSASPermissions.parse('l'), expiresOn: new Date(Date.now() + 3600_000) },
      new StorageSharedKeyCredential(part('AccountName'), part('AccountKey')),
    ).toString();
    scoped = new BlobServiceClient(`${part('BlobEndpoint')}?${sas}`);
  });

  after(async () => {
    await admin.deleteIfExists();
    await cosmos.client.database(container).delete();
    await cosmos.close();
  });

  it('should report healthy when each dependency allows only its data-plane call', async () => {
    const probes = dependencyProbes({
      container: async (name) => {
        assert.equal(name, BLOB_CONTAINERS.kycMedia);
        return scoped.getContainerClient(container);
      },
      // Service Bus has no local form with RBAC; the runtime's queue depth is covered by the e2e health check.
      broker: () => ({ activeMessageCount: async () => 0 }),
      database: async () => cosmos.client.database(container),
    });
    const report = await checkHealth(probes);
    assert.equal(report.status, 'healthy', JSON.stringify(report));
  });

  it('should show that the account-level call is refused with the same credential', async () => {
    await assert.rejects(() => scoped.getProperties());
  });
});
