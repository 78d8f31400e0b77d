/**
 * Scheduled enqueue: a scheduled message waits in the queue's side queue, hidden (visibility timeout)
 * until its time, and is then moved to the active queue. Storage hides a message for at most 7 days,
 * so one due later is hidden again when it surfaces early.
 */
import type { DequeuedMessageItem, QueueClient } from '@azure/storage-queue';
import { decodeEnvelope, encodeEnvelope } from './envelope';
import type { StorageQueueNames } from './queue-names';

const MAX_VISIBILITY_SECONDS = 7 * 24 * 3600;
const STORAGE_BATCH = 32;

export class ScheduledPromoter {
  private readonly lastRun = new Map<string, number>();
  private readonly running = new Set<string>();

  constructor(
    private readonly client: (storageName: string) => QueueClient,
    /** Minimum ms between looks at one queue's scheduled messages. */
    private readonly pollMs: number,
  ) {}

  /** Moves the due scheduled messages of a queue to its active queue (skipped if it looked recently). */
  async promoteDue(names: StorageQueueNames): Promise<void> {
    const now = Date.now();
    if (this.running.has(names.scheduled) || now - (this.lastRun.get(names.scheduled) ?? 0) < this.pollMs) return;
    this.lastRun.set(names.scheduled, now);
    this.running.add(names.scheduled);
    try {
      const scheduled = this.client(names.scheduled);
      for (;;) {
        const { receivedMessageItems: items } = await scheduled.receiveMessages({ numberOfMessages: STORAGE_BATCH, visibilityTimeout: 30 });
        for (const item of items) await this.promoteOne(names, scheduled, item);
        if (items.length < STORAGE_BATCH) return;
      }
    } finally {
      this.running.delete(names.scheduled);
    }
  }

  private async promoteOne(names: StorageQueueNames, scheduled: QueueClient, item: DequeuedMessageItem): Promise<void> {
    const decoded = decodeEnvelope(item.messageText);
    const env = 'envelope' in decoded ? decoded.envelope : undefined;
    const remainingMs = env ? Date.parse(env.scheduledEnqueueTimeUtc ?? '') - Date.now() : 0;
    if (remainingMs > 0) {
      await scheduled.updateMessage(item.messageId, item.popReceipt, undefined, visibilitySeconds(remainingMs));
      return;
    }
    // A malformed one goes to the active queue as-is and is dead-lettered on receive. A crash between
    // these two calls delivers the message twice, as any at-least-once broker may.
    const text = env ? encodeEnvelope({ ...env, enqueuedTimeUtc: new Date().toISOString() }) : item.messageText;
    await this.client(names.active).sendMessage(text, { messageTimeToLive: -1 });
    await scheduled.deleteMessage(item.messageId, item.popReceipt);
  }
}

/** Storage visibility is whole seconds: round up so a lock or a schedule never ends early. */
export function visibilitySeconds(ms: number): number {
  return Math.min(MAX_VISIBILITY_SECONDS, Math.max(1, Math.ceil(ms / 1000)));
}
