import type { BlobServiceClient, ContainerClient } from '@azure/storage-blob';
import { config } from '../config';
import { azureCredential } from './credential';

let service: BlobServiceClient | undefined;

/** Blob Storage: Azurite by connection string locally, the managed identity on Azure. */
export function blobService(): BlobServiceClient {
  if (!service) {
    const { BlobServiceClient } = require('@azure/storage-blob') as typeof import('@azure/storage-blob');
    const cfg = config();
    service = cfg.AzureWebJobsStorage
      ? BlobServiceClient.fromConnectionString(cfg.AzureWebJobsStorage)
      : new BlobServiceClient(`https://${cfg.AzureWebJobsStorage__accountName}.blob.core.windows.net`, azureCredential());
  }
  return service;
}

const ensured = new Map<string, Promise<ContainerClient>>();

/** A container client; locally the container is created on first use. */
export function blobContainer(name: string): Promise<ContainerClient> {
  let container = ensured.get(name);
  if (!container) {
    const client = blobService().getContainerClient(name);
    container = (config().VOUCH_MODE === 'local' ? client.createIfNotExists() : Promise.resolve())
      .then(() => client)
      .catch((error: unknown) => {
        ensured.delete(name);
        throw error;
      });
    ensured.set(name, container);
  }
  return container;
}
