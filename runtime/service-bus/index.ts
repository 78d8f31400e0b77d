/**
 * The Service Bus trigger for the local runtime: one QueueListener per `serviceBusTrigger` function,
 * all on one LocalBroker over the host's Azurite. Topic subscriptions and sessions are not emulated.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { HostContext, RegisteredFunction, RuntimeExtension } from '../types';
import { listenerSettings, readServiceBusSection, type ListenerSettings, type ServiceBusHostSection } from './host-options';
import { LocalBroker, type LocalBrokerOptions } from './local-broker';
import { QueueListener } from './queue-listener';

export interface ServiceBusExtensionOptions {
  /** host.json `extensions.serviceBus`; default: read from `<appDir>/host.json`. */
  hostOptions?: ServiceBusHostSection;
  /** Folder whose host.json is read when `hostOptions` is absent; default the host's app dir (`--app-dir`). */
  appDir?: string;
  /** Queue properties (maxDeliveryCount, lockDurationMs, per-queue overrides) and the storage prefix. */
  broker?: LocalBrokerOptions;
  /** Wait before polling an empty queue again, in ms; default 200. */
  idlePollMs?: number;
}

export const SERVICE_BUS_TRIGGER = 'serviceBusTrigger';

export function serviceBusExtension(options: ServiceBusExtensionOptions = {}): RuntimeExtension {
  let listeners: QueueListener[] = [];
  return {
    name: 'serviceBus',
    async start(host: HostContext): Promise<void> {
      let outputBroker: LocalBroker | undefined;
      host.addOutputBindingWriter('serviceBus', async (binding, value, { fn }) => {
        outputBroker ??= new LocalBroker(host.storageConnectionString, options.broker ?? queueDefinitionsFrom(host));
        await sendOutput(outputBroker, host.resolveSetting(String(binding.queueName ?? '')), value, fn.name);
      });
      const functions = host.functionsWithTrigger(SERVICE_BUS_TRIGGER);
      if (functions.length === 0) return;
      if (!host.storageConnectionString) {
        throw new Error('Service Bus triggers run on the local broker, which needs AzureWebJobsStorage (Azurite)');
      }
      const settings = listenerSettings(options.hostOptions ?? readServiceBusSection(options.appDir ?? host.appDir));
      const broker = new LocalBroker(host.storageConnectionString, options.broker ?? queueDefinitionsFrom(host));
      listeners = functions.flatMap((fn) => listenerFor(host, fn, broker, settings, options.idlePollMs ?? 200));
      for (const listener of listeners) listener.start();
    },
    async stop(): Promise<void> {
      const stopping = listeners;
      listeners = [];
      await Promise.all(stopping.map((listener) => listener.stop()));
    },
  };
}

/**
 * A Service Bus output: each array element is one message; strings go as text, other values as
 * JSON; the message id is a new GUID, as the extension's sender leaves it to the client.
 */
async function sendOutput(broker: LocalBroker, queue: string, value: unknown, fnName: string): Promise<void> {
  if (!queue) throw new Error(`Function "${fnName}": Service Bus output has no queueName`);
  for (const body of Array.isArray(value) ? value : [value]) {
    await broker.send(queue, { messageId: randomUUID().replace(/-/g, ''), body: Buffer.isBuffer(body) ? body.toString('utf8') : body });
  }
}

function listenerFor(host: HostContext, fn: RegisteredFunction, broker: LocalBroker, settings: ListenerSettings, idlePollMs: number): QueueListener[] {
  const { queueName, topicName, isSessionsEnabled, cardinality, autoCompleteMessages } = fn.trigger;
  if (typeof queueName !== 'string' || queueName.length === 0) {
    const what = typeof topicName === 'string' ? 'topic subscriptions are not emulated locally' : 'it has no queueName';
    host.log.error(`Service Bus: function ${fn.name} is not listening: ${what}`);
    return [];
  }
  const queue = host.resolveSetting(queueName);
  if (isSessionsEnabled === true) host.log.info(`Service Bus: ${fn.name} uses sessions; locally messages are not grouped by session`);
  const own = typeof autoCompleteMessages === 'boolean' ? { ...settings, autoCompleteMessages } : settings;
  host.log.info(`Service Bus: ${fn.name} listening on queue "${queue}" (max ${own.maxConcurrentCalls} concurrent calls)`);
  return [new QueueListener({ broker, invoker: host.invoker, log: host.log, functionName: fn.name, queue, batch: cardinality === 'many', settings: own, idlePollMs })];
}

/**
 * Per-queue lock duration and max delivery count, as Service Bus gets them from
 * infrastructure: the JSON file named by the `LOCAL_SERVICE_BUS_QUEUES` setting
 * (`{ "<queue>": { "lockDurationSeconds": 60, "maxDeliveryCount": 10 } }`).
 */
function queueDefinitionsFrom(host: HostContext): LocalBrokerOptions {
  const file = host.settings.LOCAL_SERVICE_BUS_QUEUES;
  if (!file) return {};
  const definitions = JSON.parse(readFileSync(path.resolve(host.appDir, file), 'utf8')) as Record<
    string,
    { lockDurationSeconds?: number; maxDeliveryCount?: number }
  >;
  const queues = Object.fromEntries(
    Object.entries(definitions).map(([name, d]) => [
      name,
      {
        ...(d.maxDeliveryCount ? { maxDeliveryCount: d.maxDeliveryCount } : {}),
        ...(d.lockDurationSeconds ? { lockDurationMs: d.lockDurationSeconds * 1000 } : {}),
      },
    ]),
  );
  return { queues };
}
