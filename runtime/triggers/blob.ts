/**
 * Blob trigger. On Azure (Flex Consumption) blob triggers use the Event Grid
 * source; locally there is no Event Grid, so this extension raises the same
 * event by polling the containers named in trigger paths (`source: 'EventGrid'`
 * and the default source behave the same here). Each blob version (name +
 * ETag) is processed once per function, tracked by receipts in an Azurite table
 * that survive host restarts; a version that fails `maxAttempts` times gets a
 * poison message in `webjobs-blobtrigger-poison`, as on Azure.
 */
import { BlobServiceClient, type BlobItem, type ContainerClient } from '@azure/storage-blob';
import { QueueClient } from '@azure/storage-queue';
import { azuriteConnectionString } from '../storage/azurite';
import type { HostContext, RegisteredFunction, RuntimeExtension } from '../types';
import { BlobReceipts, receiptKey, type Receipt } from './blob-receipts';

export interface BlobExtensionOptions {
  /** Pause between listings, ms. Default 150 (pickup ≈ half of it plus one listing). */
  pollIntervalMs?: number;
  /** Invocations per blob version before it is poisoned. Default 5 (the host's maxDequeueCount). */
  maxAttempts?: number;
  /** Receipts table (in AzureWebJobsStorage). Default `webjobsblobreceipts`. */
  receiptsTable?: string;
  /** Poison queue (in the trigger's storage account). Default `webjobs-blobtrigger-poison`. */
  poisonQueue?: string;
  /** Most blob invocations running at once. Default 16. */
  maxConcurrency?: number;
}

interface Watch {
  fn: RegisteredFunction;
  containerName: string;
  container: ContainerClient;
  connectionString: string;
  pattern: { prefix: string; match(name: string): Record<string, string> | undefined };
  receipts: Map<string, Receipt>;
}

/** `container/{a}/{b}.{ext}` → prefix + matcher; the last parameter may span `/`, like the host's `{name}`. */
export function compileBlobPath(blobPattern: string): Watch['pattern'] {
  const names: string[] = [];
  const tokens = blobPattern.split(/(\{[^}]+\})/).filter(Boolean);
  const lastParam = tokens.map((token) => token.startsWith('{')).lastIndexOf(true);
  const source = tokens
    .map((token, index) => {
      if (!token.startsWith('{')) return token.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      names.push(token.slice(1, -1));
      return index === lastParam ? '(.+)' : '([^/]+?)';
    })
    .join('');
  const regex = new RegExp(`^${source}${blobPattern === '' ? '.*' : ''}$`);
  return {
    prefix: blobPattern.split('{')[0] ?? '',
    match(name) {
      const found = regex.exec(name);
      if (!found) return undefined;
      return Object.fromEntries(names.map((param, index) => [param, found[index + 1] ?? '']));
    },
  };
}

export function blobExtension(options: BlobExtensionOptions = {}): RuntimeExtension {
  const pollIntervalMs = options.pollIntervalMs ?? 150;
  const inFlight = new Map<string, Promise<void>>();
  let timer: NodeJS.Timeout | undefined;
  let polling: Promise<void> | undefined;
  let stopped = false;

  return {
    name: 'blob',
    async start(host) {
      stopped = false;
      const functions = host.functionsWithTrigger('blobTrigger');
      if (functions.length === 0) return;
      const receipts = new BlobReceipts(host.storageConnectionString, options.receiptsTable ?? 'webjobsblobreceipts');
      await receipts.init();
      const watches = await Promise.all(functions.map((fn) => createWatch(host, fn, receipts)));
      const context = { host, receipts, options, inFlight };
      const tick = (): void => {
        polling = pollOnce(context, watches).finally(() => {
          if (!stopped) timer = setTimeout(tick, pollIntervalMs);
        });
      };
      tick();
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await polling;
      await Promise.allSettled([...inFlight.values()]);
    },
  };
}

function connectionStringFor(host: HostContext, fn: RegisteredFunction): string {
  const setting = typeof fn.trigger.connection === 'string' && fn.trigger.connection ? fn.trigger.connection : 'AzureWebJobsStorage';
  const value = host.settings[setting] ?? host.settings[`AzureWebJobs${setting}`];
  if (!value) throw new Error(`Blob trigger "${fn.name}": connection setting "${setting}" is not defined`);
  return /^UseDevelopmentStorage=true/i.test(value) ? azuriteConnectionString(10000) : value;
}

async function createWatch(host: HostContext, fn: RegisteredFunction, receipts: BlobReceipts): Promise<Watch> {
  const fullPath = host.resolveSetting(String(fn.trigger.path ?? ''));
  const slash = fullPath.indexOf('/');
  const containerName = slash < 0 ? fullPath : fullPath.slice(0, slash);
  const connectionString = connectionStringFor(host, fn);
  const container = BlobServiceClient.fromConnectionString(connectionString).getContainerClient(containerName);
  const pattern = compileBlobPath(slash < 0 ? '' : fullPath.slice(slash + 1));
  return { fn, containerName, container, connectionString, pattern, receipts: await receipts.load(fn.name) };
}

interface PollContext {
  host: HostContext;
  receipts: BlobReceipts;
  options: BlobExtensionOptions;
  inFlight: Map<string, Promise<void>>;
}

async function pollOnce(context: PollContext, watches: Watch[]): Promise<void> {
  for (const watch of watches) {
    try {
      await pollWatch(context, watch);
    } catch (error) {
      if ((error as { statusCode?: number }).statusCode !== 404) {
        context.host.log.error(`Blob trigger "${watch.fn.name}": listing ${watch.containerName} failed: ${String(error)}`);
      }
    }
  }
}

async function pollWatch(context: PollContext, watch: Watch): Promise<void> {
  const maxConcurrency = context.options.maxConcurrency ?? 16;
  for await (const blob of watch.container.listBlobsFlat({ prefix: watch.pattern.prefix, includeMetadata: true })) {
    const params = watch.pattern.match(blob.name);
    const eTag = blob.properties.etag ?? '';
    const key = receiptKey(`${watch.containerName}/${blob.name}`, eTag);
    const settled = watch.receipts.get(key)?.status;
    if (!params || settled === 'done' || settled === 'poisoned' || context.inFlight.has(key)) continue;
    if (context.inFlight.size >= maxConcurrency) return;
    const run = processBlob(context, watch, blob, params, key)
      .catch((error: unknown) => context.host.log.error(`Blob trigger "${watch.fn.name}": ${blob.name}: ${String(error)}`))
      .finally(() => context.inFlight.delete(key));
    context.inFlight.set(key, run);
  }
}

function triggerMetadata(watch: Watch, blob: BlobItem, params: Record<string, string>): Record<string, unknown> {
  const p = blob.properties;
  return {
    ...params,
    BlobTrigger: `${watch.containerName}/${blob.name}`,
    Uri: watch.container.getBlobClient(blob.name).url,
    Metadata: blob.metadata ?? {},
    Properties: {
      BlobType: p.blobType,
      ContentType: p.contentType,
      ContentLength: p.contentLength,
      ContentEncoding: p.contentEncoding,
      ContentMD5: p.contentMD5 ? Buffer.from(p.contentMD5).toString('base64') : undefined,
      ETag: p.etag,
      LastModified: p.lastModified.toISOString(),
      CreatedOn: p.createdOn?.toISOString(),
    },
  };
}

async function processBlob(context: PollContext, watch: Watch, blob: BlobItem, params: Record<string, string>, key: string): Promise<void> {
  const eTag = blob.properties.etag ?? '';
  const path = `${watch.containerName}/${blob.name}`;
  const attempts = (watch.receipts.get(key)?.attempts ?? 0) + 1;
  let content: Buffer;
  try {
    content = await watch.container.getBlobClient(blob.name).downloadToBuffer(0, undefined, { conditions: { ifMatch: eTag } });
  } catch (error) {
    // 404/412: this version was deleted or overwritten; the next listing sees the new one.
    if ([404, 412].includes((error as { statusCode?: number }).statusCode ?? 0)) return settle(context, watch, key, { status: 'done', attempts }, path, eTag);
    throw error;
  }
  try {
    const traceParent = blob.metadata?.traceparent;
    await context.host.invoker.invoke({ functionName: watch.fn.name, triggerValue: content, triggerMetadata: triggerMetadata(watch, blob, params), ...(traceParent ? { traceParent } : {}) });
    await settle(context, watch, key, { status: 'done', attempts }, path, eTag);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const maxAttempts = context.options.maxAttempts ?? 5;
    if (attempts >= maxAttempts) await poison(context, watch, blob.name, eTag);
    const status = attempts >= maxAttempts ? 'poisoned' : 'failed';
    await settle(context, watch, key, { status, attempts }, path, eTag, message);
  }
}

async function settle(context: PollContext, watch: Watch, key: string, receipt: Receipt, path: string, eTag: string, error?: string): Promise<void> {
  watch.receipts.set(key, receipt);
  await context.receipts.save(watch.fn.name, key, receipt, { path, eTag, ...(error ? { error } : {}) });
}

/** The message shape the WebJobs SDK writes; base64 like the Functions queue defaults. */
async function poison(context: PollContext, watch: Watch, blobName: string, eTag: string): Promise<void> {
  const queue = new QueueClient(watch.connectionString, context.options.poisonQueue ?? 'webjobs-blobtrigger-poison');
  await queue.createIfNotExists();
  const message = {
    Type: 'BlobTrigger',
    FunctionId: `Host.Functions.${watch.fn.name}`,
    BlobType: 'BlockBlob',
    ContainerName: watch.containerName,
    BlobName: blobName,
    ETag: eTag,
  };
  await queue.sendMessage(Buffer.from(JSON.stringify(message)).toString('base64'));
  context.host.log.error(`Blob trigger "${watch.fn.name}": ${watch.containerName}/${blobName} moved to the poison queue`);
}
