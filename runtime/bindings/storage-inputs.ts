/** Storage input bindings (blob, table), read before each invocation with its binding expressions. */
import { TableClient, odata } from '@azure/data-tables';
import { BlobServiceClient } from '@azure/storage-blob';
import type { BindingInfo, HostContext, InputBindingProvider } from '../types';
import { resolveExpression, type BindingData } from './binding-data';
import { storageConnectionFor } from './storage-connection';

function statusCode(error: unknown): number | undefined {
  return typeof error === 'object' && error !== null && 'statusCode' in error ? Number(error.statusCode) : undefined;
}

function resolved(host: HostContext, binding: BindingInfo, key: string, data: BindingData, what: string): string | undefined {
  const raw = binding[key];
  return typeof raw === 'string' && raw !== '' ? resolveExpression(host.resolveSetting(raw), data, what) : undefined;
}

/** The blob's bytes, or null when it does not exist (the host binds null too). */
export function blobInput(host: HostContext): InputBindingProvider {
  return async (binding, fn, data) => {
    const what = `Function "${fn.name}" blob input`;
    const path = resolved(host, binding, 'path', data, what) ?? '';
    const slash = path.indexOf('/');
    if (slash <= 0) throw new Error(`${what}: path "${path}" must be <container>/<blob>`);
    const blob = BlobServiceClient.fromConnectionString(storageConnectionFor(host, binding, fn.name))
      .getContainerClient(path.slice(0, slash)).getBlobClient(path.slice(slash + 1));
    try {
      return await blob.downloadToBuffer();
    } catch (error) {
      if (statusCode(error) === 404) return null;
      throw error;
    }
  };
}

/** Entity shape the host hands JavaScript: PartitionKey, RowKey, Timestamp and the properties. */
function hostEntity(entity: Record<string, unknown>): Record<string, unknown> {
  const { partitionKey, rowKey, timestamp, etag, ...properties } = entity;
  void etag;
  for (const key of Object.keys(properties)) if (key.startsWith('odata.')) delete properties[key];
  return { PartitionKey: partitionKey, RowKey: rowKey, Timestamp: timestamp, ...properties };
}

/** One entity (null when absent) when `rowKey` is set, else up to `take` entities matching the filter. */
export function tableInput(host: HostContext): InputBindingProvider {
  return async (binding, fn, data) => {
    const what = `Function "${fn.name}" table input`;
    const tableName = resolved(host, binding, 'tableName', data, what);
    if (!tableName) throw new Error(`${what}: "tableName" is missing`);
    const table = TableClient.fromConnectionString(storageConnectionFor(host, binding, fn.name), tableName, { allowInsecureConnection: true });
    const partitionKey = resolved(host, binding, 'partitionKey', data, what);
    const rowKey = resolved(host, binding, 'rowKey', data, what);
    if (partitionKey !== undefined && rowKey !== undefined) {
      try {
        return hostEntity(await table.getEntity<Record<string, unknown>>(partitionKey, rowKey));
      } catch (error) {
        if (statusCode(error) === 404) return null;
        throw error;
      }
    }
    const filters = [resolved(host, binding, 'filter', data, what), partitionKey === undefined ? undefined : odata`PartitionKey eq ${partitionKey}`];
    const filter = filters.filter(Boolean).map((f) => `(${f})`).join(' and ');
    const take = typeof binding.take === 'number' && binding.take > 0 ? binding.take : Infinity;
    const entities: Record<string, unknown>[] = [];
    try {
      for await (const entity of table.listEntities<Record<string, unknown>>(filter ? { queryOptions: { filter } } : {})) {
        entities.push(hostEntity(entity));
        if (entities.length >= take) break;
      }
    } catch (error) {
      if (statusCode(error) !== 404) throw error; // a missing table reads as empty
    }
    return entities;
  };
}
