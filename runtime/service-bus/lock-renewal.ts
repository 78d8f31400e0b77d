/**
 * Keeps a message's peek-lock alive while its handler runs, like the Service Bus processor's
 * auto lock renewal: renew at half the remaining lock, until maxAutoLockRenewalDuration has passed.
 */
import type { HostLog } from '../types';
import type { LocalBroker, ReceivedMessage } from './local-broker';
import { MessageLockLostError } from './errors';

export class LockRenewer {
  private timer: NodeJS.Timeout | undefined;
  private renewing: Promise<void> | undefined;
  private stopped = false;
  private readonly deadline: number;

  constructor(
    private readonly broker: LocalBroker,
    private readonly message: ReceivedMessage,
    maxAutoLockRenewalDurationMs: number,
    private readonly log: HostLog,
  ) {
    this.deadline = Date.now() + maxAutoLockRenewalDurationMs;
    this.schedule();
  }

  /** Stops renewing and waits for a renewal in flight, so settlement never races it. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.renewing;
  }

  private schedule(): void {
    if (this.stopped) return;
    const delay = Math.max(0, (this.message.lockedUntilUtc.getTime() - Date.now()) / 2);
    if (Date.now() + delay >= this.deadline) return;
    this.timer = setTimeout(() => {
      this.renewing = this.renew();
    }, delay);
  }

  private async renew(): Promise<void> {
    if (this.stopped) return;
    try {
      await this.broker.renewLock(this.message);
      this.schedule();
    } catch (error) {
      if (this.stopped && error instanceof MessageLockLostError) return;
      const text = error instanceof Error ? error.message : String(error);
      this.log.error(`Service Bus: could not renew the lock on message "${this.message.messageId}" (${this.message.queue}): ${text}`);
    }
  }
}
