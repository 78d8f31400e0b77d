/**
 * The app's MessageSender/QueueDepth in local mode. Cheap to import: the broker and the Azure SDKs
 * it pulls in load on first use.
 */
import type { QueueName } from '../../shared/names';
import type { MessageSender, OutgoingMessage, QueueDepth } from '../../shared/platform/messaging';
import type { LocalBroker, LocalBrokerOptions } from './local-broker';

export class LocalBrokerMessageSender implements MessageSender, QueueDepth {
  private broker: Promise<LocalBroker> | undefined;

  /** `connectionString`: the Azurite connection string the local runtime uses (AzureWebJobsStorage). */
  constructor(
    private readonly connectionString: string,
    private readonly options: LocalBrokerOptions = {},
  ) {}

  /** Duplicates of an earlier messageId are dropped silently, as Service Bus does. */
  async send(queue: QueueName, message: OutgoingMessage): Promise<void> {
    await (await this.load()).send(queue, message);
  }

  async activeMessageCount(queue: QueueName): Promise<number> {
    return (await this.load()).activeMessageCount(queue);
  }

  private load(): Promise<LocalBroker> {
    this.broker ??= import('./local-broker').then(({ LocalBroker }) => new LocalBroker(this.connectionString, this.options));
    return this.broker;
  }
}
