import type { QueueName } from '../names';

/** A message for a Service Bus queue (locally: the runtime's broker on Azurite queues). */
export interface OutgoingMessage {
  /** Deterministic id: the broker drops a second message with the same id (duplicate detection). */
  messageId: string;
  /** JSON-serialisable body. */
  body: unknown;
  /** Deliver no earlier than this (scheduled enqueue); used for webhook backoff. */
  scheduledEnqueueTimeUtc?: Date;
  correlationId?: string;
  subject?: string;
  applicationProperties?: Record<string, string | number | boolean>;
}

/** Sends to queues; the one port every producer in `shared/` uses. */
export interface MessageSender {
  send(queue: QueueName, message: OutgoingMessage): Promise<void>;
}

/** Reads queue backlog, for back-pressure. */
export interface QueueDepth {
  /** Active (not scheduled, not dead-lettered) messages waiting in `queue`. */
  activeMessageCount(queue: QueueName): Promise<number>;
}
