/**
 * Service Bus on Azure (managed identity); the runtime's broker on Azurite queues
 * locally. Both satisfy `MessageSender` and `QueueDepth`, so `shared/` never
 * knows which one it has.
 */
import type { ServiceBusClient, ServiceBusSender } from '@azure/service-bus';
import { config } from '../config';
import type { QueueName } from '../names';
import { azureCredential } from './credential';
import type { MessageSender, OutgoingMessage, QueueDepth } from './messaging';
import { messageTraceProperties } from './trace-context';

type Broker = MessageSender & QueueDepth;

class AzureServiceBus implements Broker {
  private readonly senders = new Map<QueueName, ServiceBusSender>();
  private client?: ServiceBusClient;

  constructor(private readonly namespace: string) {}

  async send(queue: QueueName, message: OutgoingMessage): Promise<void> {
    const sender = this.sender(queue);
    const { scheduledEnqueueTimeUtc, ...rest } = message;
    const sbMessage = { ...rest, contentType: 'application/json' };
    if (scheduledEnqueueTimeUtc) await sender.scheduleMessages(sbMessage, scheduledEnqueueTimeUtc);
    else await sender.sendMessages(sbMessage);
  }

  async activeMessageCount(queue: QueueName): Promise<number> {
    const { ServiceBusAdministrationClient } = require('@azure/service-bus') as typeof import('@azure/service-bus');
    const admin = new ServiceBusAdministrationClient(this.namespace, azureCredential());
    return (await admin.getQueueRuntimeProperties(queue)).activeMessageCount;
  }

  private sender(queue: QueueName): ServiceBusSender {
    let sender = this.senders.get(queue);
    if (!sender) {
      const { ServiceBusClient } = require('@azure/service-bus') as typeof import('@azure/service-bus');
      this.client ??= new ServiceBusClient(this.namespace, azureCredential());
      sender = this.client.createSender(queue);
      this.senders.set(queue, sender);
    }
    return sender;
  }
}

/**
 * Stamps every message with the sender's trace (`traceparent`, `Diagnostic-Id`), so the receiving
 * invocation continues the same operation in Application Insights. Wherever the app sends, it sends
 * through here.
 */
function withTraceContext(inner: Broker): Broker {
  return {
    send: (queue, message) =>
      inner.send(queue, { ...message, applicationProperties: { ...messageTraceProperties(), ...message.applicationProperties } }),
    activeMessageCount: (queue) => inner.activeMessageCount(queue),
  };
}

let broker: Broker | undefined;

export function serviceBus(): Broker {
  if (!broker) {
    const cfg = config();
    if (cfg.VOUCH_MODE === 'local') {
      // The local broker is part of the local runtime; it is not deployed to Azure.
      const { LocalBrokerMessageSender } = require('../../runtime/service-bus/local-broker-sender') as {
        LocalBrokerMessageSender: new (connectionString: string) => Broker;
      };
      broker = withTraceContext(new LocalBrokerMessageSender(cfg.AzureWebJobsStorage ?? ''));
    } else {
      broker = withTraceContext(new AzureServiceBus(cfg.ServiceBusConnection__fullyQualifiedNamespace ?? ''));
    }
  }
  return broker;
}
