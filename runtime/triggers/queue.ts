/**
 * Storage queue trigger, as the host's queue listener runs it: batches of up to `batchSize`
 * messages hidden for 10 minutes while they run, deleted on success, shown again after
 * `visibilityTimeout` on failure, and moved to `<queue>-poison` once they failed `maxDequeueCount`
 * times (host.json `extensions.queues`, defaults 16 / 00:00:00 / 5). Messages are base64 text
 * (the default `messageEncoding`). An empty queue is polled with a growing interval up to
 * `maxPollingInterval` (default 1 s locally, 1 min on Azure); a write by a function of this host
 * wakes the listener at once.
 */
import { QueueServiceClient, type DequeuedMessageItem, type QueueClient } from '@azure/storage-queue';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { onQueueMessage, queueKey } from '../bindings/queue-signals';
import { storageConnectionFor } from '../bindings/storage-connection';
import { timeSpanMs } from '../time-span';
import type { HostContext, RegisteredFunction, RuntimeExtension } from '../types';

interface QueuesSection {
  batchSize?: number;
  maxDequeueCount?: number;
  visibilityTimeout?: string;
  maxPollingInterval?: string;
}

interface QueueSettings {
  batchSize: number;
  maxDequeueCount: number;
  visibilityTimeoutMs: number;
  maxPollingIntervalMs: number;
}

const PROCESSING_VISIBILITY_SECONDS = 600;
const MIN_POLL_MS = 50;

function readSettings(appDir: string): QueueSettings {
  const file = path.join(appDir, 'host.json');
  const section: QueuesSection = existsSync(file)
    ? ((JSON.parse(readFileSync(file, 'utf8')) as { extensions?: { queues?: QueuesSection } }).extensions?.queues ?? {})
    : {};
  return {
    batchSize: section.batchSize ?? 16,
    maxDequeueCount: section.maxDequeueCount ?? 5,
    visibilityTimeoutMs: section.visibilityTimeout ? timeSpanMs(section.visibilityTimeout) : 0,
    maxPollingIntervalMs: section.maxPollingInterval ? timeSpanMs(section.maxPollingInterval) : 1000,
  };
}

/** The message text: base64-decoded when it is base64, as the host's default encoding writes it. */
export function decodeQueueMessage(text: string): string {
  if (/^[A-Za-z0-9+/]*={0,2}$/.test(text) && text.length % 4 === 0) return Buffer.from(text, 'base64').toString('utf8');
  return text;
}

/** JSON objects and arrays arrive parsed, anything else as the string, as the worker hands them over. */
function triggerValueOf(text: string): unknown {
  if (!/^\s*[[{]/.test(text)) return text;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

class QueueListener {
  private stopped = false;
  private wakeUp: (() => void) | undefined;
  private readonly inFlight = new Set<Promise<void>>();
  private loop: Promise<void> | undefined;
  private readonly unsubscribe: () => void;

  constructor(
    private readonly host: HostContext,
    private readonly fn: RegisteredFunction,
    private readonly queue: QueueClient,
    private readonly poison: QueueClient,
    private readonly settings: QueueSettings,
  ) {
    this.unsubscribe = onQueueMessage(queueKey('queue', queue.url), () => this.wakeUp?.());
  }

  /** Creates the queue, so a bad name or connection stops the host at start, naming the function. */
  async prepare(): Promise<void> {
    try {
      await this.queue.createIfNotExists();
    } catch (error) {
      throw new Error(`queue trigger ${this.fn.name}: queue "${this.queue.name}" is unusable: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
    }
  }

  start(): void {
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.unsubscribe();
    this.wakeUp?.();
    await this.loop;
    await Promise.allSettled([...this.inFlight]);
  }

  private async run(): Promise<void> {
    let idleMs = MIN_POLL_MS;
    while (!this.stopped) {
      const capacity = this.settings.batchSize - this.inFlight.size;
      let items: DequeuedMessageItem[] = [];
      if (capacity > 0) {
        try {
          const numberOfMessages = Math.min(32, capacity);
          items = (await this.queue.receiveMessages({ numberOfMessages, visibilityTimeout: PROCESSING_VISIBILITY_SECONDS })).receivedMessageItems;
        } catch (error) {
          this.host.log.error(`queue trigger ${this.fn.name}: receive failed: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
      for (const item of items) this.track(this.process(item));
      if (items.length > 0) idleMs = MIN_POLL_MS;
      else {
        await this.pause(idleMs);
        idleMs = Math.min(this.settings.maxPollingIntervalMs, idleMs * 2);
      }
    }
  }

  private track(work: Promise<void>): void {
    this.inFlight.add(work);
    void work.finally(() => {
      this.inFlight.delete(work);
      this.wakeUp?.();
    });
  }

  private pause(ms: number): Promise<void> {
    if (this.stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      const self = this;
      function done(): void {
        clearTimeout(timer);
        if (self.wakeUp === done) self.wakeUp = undefined;
        resolve();
      }
      this.wakeUp = done;
    });
  }

  private async process(item: DequeuedMessageItem): Promise<void> {
    const text = decodeQueueMessage(item.messageText);
    const metadata = {
      QueueTrigger: text, DequeueCount: item.dequeueCount, Id: item.messageId, PopReceipt: item.popReceipt,
      InsertionTime: item.insertedOn.toISOString(), ExpirationTime: item.expiresOn.toISOString(), NextVisibleTime: item.nextVisibleOn.toISOString(),
    };
    try {
      await this.host.invoker.invoke({ functionName: this.fn.name, triggerValue: triggerValueOf(text), triggerMetadata: metadata, correlationId: item.messageId });
      await this.queue.deleteMessage(item.messageId, item.popReceipt);
    } catch (error) {
      await this.failed(item, error).catch((settleError: unknown) =>
        this.host.log.error(`queue trigger ${this.fn.name}: could not release message ${item.messageId}: ${String(settleError)}`));
    }
  }

  private async failed(item: DequeuedMessageItem, error: unknown): Promise<void> {
    if (item.dequeueCount >= this.settings.maxDequeueCount) {
      await this.poison.createIfNotExists();
      await this.poison.sendMessage(item.messageText);
      await this.queue.deleteMessage(item.messageId, item.popReceipt);
      this.host.log.error(`queue trigger ${this.fn.name}: message ${item.messageId} moved to ${this.poison.name} after ${item.dequeueCount} attempts: ${String(error)}`);
      return;
    }
    await this.queue.updateMessage(item.messageId, item.popReceipt, undefined, Math.ceil(this.settings.visibilityTimeoutMs / 1000));
  }
}

export function queueExtension(): RuntimeExtension {
  let listeners: QueueListener[] = [];
  return {
    name: 'queue',
    async start(host) {
      const functions = host.functionsWithTrigger('queueTrigger');
      if (functions.length === 0) return;
      const settings = readSettings(host.appDir);
      listeners = functions.map((fn) => {
        const name = host.resolveSetting(String(fn.trigger.queueName ?? '')).toLowerCase();
        const service = QueueServiceClient.fromConnectionString(storageConnectionFor(host, fn.trigger, fn.name));
        host.log.info(`queue trigger: ${fn.name} listening on "${name}"`);
        return new QueueListener(host, fn, service.getQueueClient(name), service.getQueueClient(`${name}-poison`), settings);
      });
      await Promise.all(listeners.map((listener) => listener.prepare()));
      for (const listener of listeners) listener.start();
    },
    async stop() {
      const stopping = listeners;
      listeners = [];
      await Promise.all(stopping.map((listener) => listener.stop()));
    },
  };
}
