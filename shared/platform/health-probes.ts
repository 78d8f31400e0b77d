/**
 * The dependency probes behind `/api/health`. Each one is a data-plane call that the app's own
 * data roles allow (Storage Blob Data Owner on the account, Service Bus Data Owner, Cosmos Data
 * Contributor): no account-level operation such as the blob service's getProperties, which a
 * managed identity with data roles only is refused.
 */
import type { ContainerClient } from '@azure/storage-blob';
import type { Database } from '@azure/cosmos';
import { BLOB_CONTAINERS, QUEUES } from '../names';
import type { Probe } from './health';
import type { QueueDepth } from './messaging';

export interface HealthDependencies {
  /** A blob container client (`blobContainer`, which creates it in local mode). */
  container: (name: string) => Promise<ContainerClient>;
  broker: () => QueueDepth;
  database: () => Promise<Database>;
}

export function dependencyProbes(deps: HealthDependencies): Record<string, Probe> {
  return {
    // A one-item listing under a prefix no blob has: reachability and auth of the container every
    // upload goes to, through a blob data action (List Blobs), reading no one's data.
    blob: async () => {
      const container = await deps.container(BLOB_CONTAINERS.kycMedia);
      await container.listBlobsFlat({ prefix: '.health/' }).byPage({ maxPageSize: 1 }).next();
    },
    queue: () => deps.broker().activeMessageCount(QUEUES.faces),
    // Database metadata read (readMetadata in Cosmos data-plane RBAC).
    cosmos: async () => (await deps.database()).read(),
  };
}
