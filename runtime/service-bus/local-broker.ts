/**
 * A Service Bus queue broker kept in Azurite, so messages survive a host restart. Storage queue
 * mechanics map onto Service Bus peek-lock: visibility timeout = lock, dequeueCount = delivery count,
 * popReceipt = lock token, `updateMessage` renews (hide longer) or abandons (show now). Scheduled
 * messages wait, hidden, in a side queue and are moved to the active queue once due, which keeps the
 * active queue's count equal to Service Bus's active message count. See queue-names.ts for the naming.
 */
import { TableClient } from '@azure/data-tables';
import { QueueServiceClient, type DequeuedMessageItem, type QueueClient } from '@azure/storage-queue';
import type { OutgoingMessage } from '../../shared/platform/messaging';
import { notifyQueue, onQueueMessage, queueKey } from '../bindings/queue-signals';
import { DuplicateDetector, statusOf } from './duplicate-detection';
import { decodeEnvelope, encodeEnvelope, envelopeFor, STORAGE_MESSAGE_LIMIT_BYTES, type Envelope } from './envelope';
import { MessageLockLostError, MessageTooLargeError } from './errors';
import { duplicateDetectionTableName, storageQueueNames, type StorageQueueNames } from './queue-names';
import { ScheduledPromoter, visibilitySeconds } from './scheduled-promoter';

/** Per-queue properties that Service Bus sets on the queue itself (bicep), not on the receiver. */
export interface LocalQueueSettings {
  /** Deliveries before the message is dead-lettered; Service Bus default 10. */
  maxDeliveryCount?: number;
  /** Peek-lock duration in ms (whole seconds locally); Service Bus default 60 000. */
  lockDurationMs?: number;
}

export interface LocalBrokerOptions extends LocalQueueSettings {
  /** Storage name prefix, 1-10 lowercase letters/digits; default `sb`. Sender and runtime must agree. */
  prefix?: string;
  /** Duplicate detection window in ms; default 600 000 (Service Bus default 10 min). */
  duplicateDetectionWindowMs?: number;
  /** Overrides keyed by Service Bus queue name. */
  queues?: Record<string, LocalQueueSettings>;
  /** Minimum ms between looks at a queue's scheduled messages; default 250. */
  scheduledPollMs?: number;
}

export interface ReceiveOptions {
  /** Default 1. */
  maxMessages?: number;
  /** Default: the queue's lock duration. */
  lockDurationMs?: number;
}

/** A message under peek-lock; settle it with complete/abandon/deadLetter on the broker that received it. */
export interface ReceivedMessage {
  readonly queue: string;
  readonly messageId: string;
  readonly body: unknown;
  /** 1 on first delivery, +1 on every redelivery (abandon or lock expiry). */
  readonly deliveryCount: number;
  readonly enqueuedTimeUtc: Date;
  /** Stable for this delivery (the popReceipt it was received with). */
  readonly lockToken: string;
  /** Moves forward on renewLock. */
  lockedUntilUtc: Date;
  readonly correlationId?: string;
  readonly subject?: string;
  readonly contentType?: string;
  readonly applicationProperties: Record<string, string | number | boolean>;
}

export interface DeadLetteredMessage extends Omit<ReceivedMessage, 'lockToken' | 'lockedUntilUtc'> {
  readonly deadLetterReason: string;
  readonly deadLetterErrorDescription?: string;
}

interface LockState {
  names: StorageQueueNames;
  storageId: string;
  popReceipt: string;
  lockSeconds: number;
  envelope: Envelope;
  settled: boolean;
  /** Serialises renew and settle calls on one message, since each changes the popReceipt. */
  chain: Promise<unknown>;
}

/** Send limit leaves room for the dead-letter fields added later, so a dead-lettered copy always fits. */
const SEND_LIMIT_BYTES = STORAGE_MESSAGE_LIMIT_BYTES - 4 * 1024;
const MAX_MESSAGE_ID_LENGTH = 128;
const STORAGE_BATCH = 32;

export class LocalBroker {
  private readonly service: QueueServiceClient;
  private readonly duplicates: DuplicateDetector;
  private readonly prefix: string;
  private readonly locks = new WeakMap<ReceivedMessage, LockState>();
  private readonly created = new Map<string, Promise<void>>();
  private readonly scheduled: ScheduledPromoter;

  constructor(
    connectionString: string,
    private readonly options: LocalBrokerOptions = {},
  ) {
    this.prefix = options.prefix ?? 'sb';
    this.service = QueueServiceClient.fromConnectionString(connectionString);
    const table = TableClient.fromConnectionString(connectionString, duplicateDetectionTableName(this.prefix), {
      allowInsecureConnection: true,
    });
    this.duplicates = new DuplicateDetector(table, options.duplicateDetectionWindowMs ?? 10 * 60_000);
    this.scheduled = new ScheduledPromoter((name) => this.client(name), options.scheduledPollMs ?? 250);
  }

  /** Enqueues `message`; resolves false when it was dropped as a duplicate of an earlier messageId. */
  async send(queue: string, message: OutgoingMessage): Promise<boolean> {
    if (message.messageId.length === 0 || message.messageId.length > MAX_MESSAGE_ID_LENGTH) {
      throw new Error(`messageId must be 1-${MAX_MESSAGE_ID_LENGTH} characters (queue "${queue}")`);
    }
    const now = new Date();
    const text = encodeEnvelope(envelopeFor(message, now));
    if (text.length > SEND_LIMIT_BYTES) throw new MessageTooLargeError(queue, message.messageId, text.length, SEND_LIMIT_BYTES);
    const names = await this.ensureQueues(queue);
    if (!(await this.duplicates.tryAccept(names.active, message.messageId, now))) return false;
    const delayMs = (message.scheduledEnqueueTimeUtc?.getTime() ?? 0) - now.getTime();
    try {
      if (delayMs > 0) await this.client(names.scheduled).sendMessage(text, { messageTimeToLive: -1, visibilityTimeout: visibilitySeconds(delayMs) });
      else await this.client(names.active).sendMessage(text, { messageTimeToLive: -1 });
    } catch (error) {
      await this.duplicates.forget(names.active, message.messageId);
      throw error;
    }
    if (delayMs <= 0) notifyQueue(this.signalKey(queue));
    return true;
  }

  /** Calls `wake` when a sender in this process enqueues to `queue`; returns the unsubscribe. */
  onMessage(queue: string, wake: () => void): () => void {
    return onQueueMessage(this.signalKey(queue), wake);
  }

  private signalKey(queue: string): string {
    return queueKey('sb', `${this.service.url}/${this.prefix}/${queue}`);
  }

  /** Locks and returns up to `maxMessages` messages (fewer, or none, when the queue has fewer). */
  async receive(queue: string, options: ReceiveOptions = {}): Promise<ReceivedMessage[]> {
    const names = await this.ensureQueues(queue);
    await this.scheduled.promoteDue(names);
    const wanted = Math.max(1, Math.floor(options.maxMessages ?? 1));
    const lockSeconds = visibilitySeconds(options.lockDurationMs ?? this.settingsFor(queue).lockDurationMs);
    const received: ReceivedMessage[] = [];
    while (received.length < wanted) {
      const numberOfMessages = Math.min(STORAGE_BATCH, wanted - received.length);
      const { receivedMessageItems: items } = await this.client(names.active).receiveMessages({ numberOfMessages, visibilityTimeout: lockSeconds });
      for (const item of items) {
        const message = await this.accept(queue, names, item, lockSeconds);
        if (message) received.push(message);
      }
      if (items.length < numberOfMessages) break;
    }
    return received;
  }

  async complete(message: ReceivedMessage): Promise<void> {
    await this.settle(message, async (state) => {
      await this.client(state.names.active).deleteMessage(state.storageId, state.popReceipt);
    });
  }

  /**
   * Releases the lock so the message is delivered again; at the queue's max delivery count it is
   * dead-lettered instead, with reason MaxDeliveryCountExceeded and `errorDescription`.
   */
  async abandon(message: ReceivedMessage, errorDescription?: string): Promise<'abandoned' | 'deadLettered'> {
    const max = this.settingsFor(message.queue).maxDeliveryCount;
    if (message.deliveryCount >= max) {
      const description = errorDescription ?? `Message could not be consumed after ${max} delivery attempts.`;
      await this.deadLetter(message, 'MaxDeliveryCountExceeded', description);
      return 'deadLettered';
    }
    await this.settle(message, async (state) => {
      await this.client(state.names.active).updateMessage(state.storageId, state.popReceipt, undefined, 0);
    });
    return 'abandoned';
  }

  async deadLetter(message: ReceivedMessage, reason: string, description?: string): Promise<void> {
    await this.settle(message, (state) =>
      this.moveToDeadLetter(state.names, state.storageId, state.popReceipt, state.envelope, message.deliveryCount, reason, description),
    );
  }

  /** Extends the lock by the lock duration from now; returns the new locked-until time. */
  async renewLock(message: ReceivedMessage): Promise<Date> {
    return this.withLock(message, async (state) => {
      const client = this.client(state.names.active);
      const result = await client.updateMessage(state.storageId, state.popReceipt, undefined, state.lockSeconds);
      state.popReceipt = result.popReceipt ?? state.popReceipt;
      message.lockedUntilUtc = result.nextVisibleOn ?? new Date(Date.now() + state.lockSeconds * 1000);
      return message.lockedUntilUtc;
    });
  }

  /** Up to 32 dead-lettered messages, oldest first, without locking them. */
  async peekDeadLetters(queue: string, maxMessages = STORAGE_BATCH): Promise<DeadLetteredMessage[]> {
    const names = await this.ensureQueues(queue);
    const numberOfMessages = Math.min(STORAGE_BATCH, Math.max(1, Math.floor(maxMessages)));
    const { peekedMessageItems } = await this.client(names.deadLetter).peekMessages({ numberOfMessages });
    return peekedMessageItems.flatMap((item) => {
      const decoded = decodeEnvelope(item.messageText);
      if ('invalid' in decoded) return [];
      const env = decoded.envelope;
      return [{ ...messageFields(queue, env, env.deliveryCount ?? 0), deadLetterReason: env.deadLetterReason ?? '', ...optional('deadLetterErrorDescription', env.deadLetterErrorDescription) }];
    });
  }

  /** Messages in the queue that are not scheduled for later and not dead-lettered (locked ones count). */
  async activeMessageCount(queue: string): Promise<number> {
    const names = await this.ensureQueues(queue);
    await this.scheduled.promoteDue(names);
    return (await this.client(names.active).getProperties()).approximateMessagesCount ?? 0;
  }

  async deadLetterCount(queue: string): Promise<number> {
    const names = await this.ensureQueues(queue);
    return (await this.client(names.deadLetter).getProperties()).approximateMessagesCount ?? 0;
  }

  /** Storage names behind `queue` (for diagnostics and tests). */
  storageNames(queue: string): StorageQueueNames {
    return storageQueueNames(queue, this.prefix);
  }

  private settingsFor(queue: string): Required<LocalQueueSettings> {
    const own = this.options.queues?.[queue] ?? {};
    return {
      maxDeliveryCount: own.maxDeliveryCount ?? this.options.maxDeliveryCount ?? 10,
      lockDurationMs: own.lockDurationMs ?? this.options.lockDurationMs ?? 60_000,
    };
  }

  private async accept(queue: string, names: StorageQueueNames, item: DequeuedMessageItem, lockSeconds: number): Promise<ReceivedMessage | undefined> {
    const decoded = decodeEnvelope(item.messageText);
    if ('invalid' in decoded) {
      const raw: Envelope = { v: 1, messageId: item.messageId, body: item.messageText.slice(0, 40_000), enqueuedTimeUtc: item.insertedOn.toISOString() };
      await this.moveToDeadLetter(names, item.messageId, item.popReceipt, raw, item.dequeueCount, 'MalformedMessage', decoded.invalid);
      return undefined;
    }
    const env = decoded.envelope;
    const max = this.settingsFor(queue).maxDeliveryCount;
    if (item.dequeueCount > max) {
      // Its last allowed lock expired without settlement (e.g. the host died): Service Bus dead-letters it.
      const description = `Message could not be consumed after ${max} delivery attempts.`;
      await this.moveToDeadLetter(names, item.messageId, item.popReceipt, env, item.dequeueCount - 1, 'MaxDeliveryCountExceeded', description);
      return undefined;
    }
    const message: ReceivedMessage = { ...messageFields(queue, env, item.dequeueCount), lockToken: item.popReceipt, lockedUntilUtc: item.nextVisibleOn };
    this.locks.set(message, { names, storageId: item.messageId, popReceipt: item.popReceipt, lockSeconds, envelope: env, settled: false, chain: Promise.resolve() });
    return message;
  }

  private async moveToDeadLetter(
    names: StorageQueueNames, storageId: string, popReceipt: string, envelope: Envelope,
    deliveryCount: number, reason: string, description: string | undefined,
  ): Promise<void> {
    const copy: Envelope = {
      ...envelope,
      deliveryCount,
      deadLetterReason: reason.slice(0, 128),
      ...optional('deadLetterErrorDescription', description?.slice(0, 700)),
    };
    await this.client(names.deadLetter).sendMessage(encodeEnvelope(copy), { messageTimeToLive: -1 });
    await this.client(names.active).deleteMessage(storageId, popReceipt);
  }

  private settle(message: ReceivedMessage, action: (state: LockState) => Promise<void>): Promise<void> {
    return this.withLock(message, async (state) => {
      await action(state);
      state.settled = true;
    });
  }

  private withLock<T>(message: ReceivedMessage, action: (state: LockState) => Promise<T>): Promise<T> {
    const state = this.locks.get(message);
    if (!state) throw new Error(`Message "${message.messageId}" was not received by this broker`);
    const run = async (): Promise<T> => {
      if (state.settled) throw new MessageLockLostError(message.queue, message.messageId);
      try {
        return await action(state);
      } catch (error) {
        if (isLockLost(error)) throw new MessageLockLostError(message.queue, message.messageId);
        throw error;
      }
    };
    const result = state.chain.then(run, run);
    state.chain = result.catch(() => undefined);
    return result;
  }

  private ensureQueues(queue: string): Promise<StorageQueueNames> {
    const names = storageQueueNames(queue, this.prefix);
    let ready = this.created.get(names.active);
    if (!ready) {
      ready = Promise.all([names.active, names.scheduled, names.deadLetter].map((n) => this.client(n).createIfNotExists())).then(() => undefined);
      ready.catch(() => this.created.delete(names.active));
      this.created.set(names.active, ready);
    }
    return ready.then(() => names);
  }

  private client(storageName: string): QueueClient {
    return this.service.getQueueClient(storageName);
  }
}

function messageFields(queue: string, env: Envelope, deliveryCount: number): Omit<ReceivedMessage, 'lockToken' | 'lockedUntilUtc'> {
  return {
    queue,
    messageId: env.messageId,
    body: env.body,
    deliveryCount,
    enqueuedTimeUtc: new Date(env.enqueuedTimeUtc),
    applicationProperties: env.applicationProperties ?? {},
    ...optional('correlationId', env.correlationId),
    ...optional('subject', env.subject),
    ...optional('contentType', env.contentType),
  };
}

/** A stale popReceipt (the lock was renewed elsewhere or expired and re-taken) or a deleted message. */
function isLockLost(error: unknown): boolean {
  const status = statusOf(error);
  const code = typeof error === 'object' && error !== null && 'code' in error ? (error as { code: unknown }).code : undefined;
  return status === 404 || (status === 400 && code === 'PopReceiptMismatch');
}

function optional<K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, V>);
}
