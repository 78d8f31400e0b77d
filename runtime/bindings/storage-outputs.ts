/**
 * Storage output bindings (queue, blob, table), written after the function succeeded, as the host
 * flushes outputs. A write that fails fails the invocation, so the trigger's own retry applies.
 */
import { TableClient } from '@azure/data-tables';
import { BlobServiceClient } from '@azure/storage-blob';
import { QueueServiceClient } from '@azure/storage-queue';
import type { BindingInfo, HostContext, OutputBindingWriter } from '../types';
import { resolveExpression, type BindingData } from './binding-data';
import { notifyQueue, queueKey } from './queue-signals';
import { storageConnectionFor } from './storage-connection';

/** Text or bytes of one value as the host serialises it: strings as is, bytes raw, the rest as JSON. */
export function payloadOf(value: unknown): string | Buffer {
  if (typeof value === 'string' || Buffer.isBuffer(value)) return value;
  if (value instanceof Uint8Array) return Buffer.from(value);
  return JSON.stringify(value);
}

function option(host: HostContext, binding: BindingInfo, key: string, data: BindingData, what: string): string {
  const raw = binding[key];
  if (typeof raw !== 'string' || raw === '') throw new Error(`${what}: "${key}" is missing`);
  return resolveExpression(host.resolveSetting(raw), data, what);
}

/** Each array element is one message or entity, as with the host's collectors. */
const items = (value: unknown): unknown[] => (Array.isArray(value) ? value : [value]);

export function queueOutput(host: HostContext): OutputBindingWriter {
  return async (binding, value, { fn, data }) => {
    const what = `Function "${fn.name}" queue output`;
    const queue = QueueServiceClient.fromConnectionString(storageConnectionFor(host, binding, fn.name))
      .getQueueClient(option(host, binding, 'queueName', data, what).toLowerCase());
    await queue.createIfNotExists();
    // The host's default message encoding is base64 (host.json extensions.queues.messageEncoding).
    for (const item of items(value)) await queue.sendMessage(Buffer.from(payloadOf(item)).toString('base64'));
    notifyQueue(queueKey('queue', queue.url));
  };
}

export function blobOutput(host: HostContext): OutputBindingWriter {
  return async (binding, value, { fn, data }) => {
    const what = `Function "${fn.name}" blob output`;
    const path = option(host, binding, 'path', data, what);
    const slash = path.indexOf('/');
    if (slash <= 0 || slash === path.length - 1) throw new Error(`${what}: path "${path}" must be <container>/<blob>`);
    const container = BlobServiceClient.fromConnectionString(storageConnectionFor(host, binding, fn.name)).getContainerClient(path.slice(0, slash));
    await container.createIfNotExists();
    const body = payloadOf(value);
    await container.getBlockBlobClient(path.slice(slash + 1)).upload(body, Buffer.byteLength(body));
  };
}

export function tableOutput(host: HostContext): OutputBindingWriter {
  return async (binding, value, { fn, data }) => {
    const what = `Function "${fn.name}" table output`;
    const table = TableClient.fromConnectionString(storageConnectionFor(host, binding, fn.name), option(host, binding, 'tableName', data, what), {
      allowInsecureConnection: true,
    });
    await table.createTable();
    for (const item of items(value)) {
      if (typeof item !== 'object' || item === null) throw new Error(`${what}: an entity must be an object`);
      const { PartitionKey, RowKey, partitionKey, rowKey, ...properties } = item as Record<string, unknown>;
      const pk = PartitionKey ?? partitionKey ?? (binding.partitionKey === undefined ? undefined : option(host, binding, 'partitionKey', data, what));
      const rk = RowKey ?? rowKey ?? (binding.rowKey === undefined ? undefined : option(host, binding, 'rowKey', data, what));
      if (typeof pk !== 'string' || typeof rk !== 'string') throw new Error(`${what}: every entity needs PartitionKey and RowKey strings`);
      // Like the Tables extension, the output binding only creates entities: an existing key fails.
      await table.createEntity({ ...properties, partitionKey: pk, rowKey: rk });
    }
  };
}
