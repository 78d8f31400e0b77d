/**
 * Drives one Service Bus-triggered function: polls its queue, invokes the function for each message
 * (or batch), keeps locks renewed meanwhile and settles afterwards: complete on success, abandon on
 * failure (the broker dead-letters at the max delivery count). At most `maxConcurrentCalls` calls run.
 */
import type { HostLog, Invoker } from '../types';
import { MessageLockLostError } from './errors';
import type { ListenerSettings } from './host-options';
import type { LocalBroker, ReceivedMessage } from './local-broker';
import { LockRenewer } from './lock-renewal';
import { batchMetadata, singleMessageMetadata } from './trigger-metadata';

export interface QueueListenerOptions {
  broker: LocalBroker;
  invoker: Invoker;
  log: HostLog;
  functionName: string;
  /** Service Bus queue name (placeholders already resolved). */
  queue: string;
  /** `cardinality: "many"`: the function gets an array of bodies. */
  batch: boolean;
  settings: ListenerSettings;
  /** Wait before polling an empty queue again, in ms. */
  idlePollMs: number;
}

const MAX_ERROR_BACKOFF_MS = 5_000;

export class QueueListener {
  private stopped = false;
  private loop: Promise<void> | undefined;
  private readonly inFlight = new Set<Promise<void>>();
  private wakeUp: (() => void) | undefined;

  constructor(private readonly options: QueueListenerOptions) {}

  private unsubscribe: (() => void) | undefined;

  start(): void {
    // A send from this process wakes the listener at once instead of after idlePollMs.
    this.unsubscribe ??= this.options.broker.onMessage(this.options.queue, () => this.wake());
    this.loop ??= this.run();
  }

  /** Stops polling, then waits for the calls in flight to finish and settle. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.unsubscribe?.();
    this.wake();
    await this.loop;
    await Promise.all([...this.inFlight]);
  }

  private async run(): Promise<void> {
    const { broker, queue, batch, settings, log, functionName } = this.options;
    let failures = 0;
    while (!this.stopped) {
      const capacity = settings.maxConcurrentCalls - this.inFlight.size;
      if (capacity <= 0) {
        await this.pause(); // woken when a call finishes
        continue;
      }
      let messages: ReceivedMessage[];
      try {
        messages = await broker.receive(queue, { maxMessages: batch ? settings.maxMessageBatchSize : capacity });
        failures = 0;
      } catch (error) {
        if (failures++ === 0) log.error(`Service Bus: receiving from "${queue}" for ${functionName} failed (retrying): ${describe(error)}`);
        await this.pause(Math.min(MAX_ERROR_BACKOFF_MS, 250 * 2 ** failures));
        continue;
      }
      if (messages.length === 0) await this.pause(this.options.idlePollMs);
      else if (batch) this.track(this.process(messages));
      else for (const message of messages) this.track(this.process([message]));
    }
  }

  private track(call: Promise<void>): void {
    this.inFlight.add(call);
    void call.finally(() => {
      this.inFlight.delete(call);
      this.wake();
    });
  }

  private async process(messages: ReceivedMessage[]): Promise<void> {
    const { broker, invoker, functionName, settings, batch } = this.options;
    const renewers = messages.map((m) => new LockRenewer(broker, m, settings.maxAutoLockRenewalDurationMs, this.options.log));
    const first = messages[0];
    let failure: unknown;
    let failed = false;
    try {
      await invoker.invoke({
        functionName,
        triggerValue: batch ? messages.map((m) => m.body) : first?.body,
        triggerMetadata: batch ? batchMetadata(messages) : first && singleMessageMetadata(first),
        ...(!batch && first?.correlationId !== undefined && { correlationId: first.correlationId }),
        ...(!batch && first && traceParentOf(first)),
      });
    } catch (error) {
      failed = true;
      failure = error;
    } finally {
      await Promise.all(renewers.map((r) => r.stop()));
    }
    // Without auto-complete nothing settles the message: its lock expires and it is delivered again.
    if (!settings.autoCompleteMessages) return;
    await Promise.all(messages.map((m) => this.settle(m, failed, failure)));
  }

  private async settle(message: ReceivedMessage, failed: boolean, failure: unknown): Promise<void> {
    const { broker, log, queue, functionName } = this.options;
    try {
      if (!failed) return await broker.complete(message);
      const outcome = await broker.abandon(message, describe(failure));
      if (outcome === 'deadLettered') {
        log.error(`Service Bus: message "${message.messageId}" (${queue}) dead-lettered after ${message.deliveryCount} deliveries to ${functionName}`);
      }
    } catch (error) {
      const what = error instanceof MessageLockLostError ? 'lock lost; it will be delivered again' : describe(error);
      log.error(`Service Bus: settling message "${message.messageId}" (${queue}) failed: ${what}`);
    }
  }

  /** Sleeps for `ms` (forever when absent) or until woken by a finished call or stop(). */
  private pause(ms?: number): Promise<void> {
    if (this.stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        if (this.wakeUp === done) this.wakeUp = undefined;
        resolve();
      };
      const timer = ms === undefined ? undefined : setTimeout(done, ms);
      this.wakeUp = done;
    });
  }

  private wake(): void {
    this.wakeUp?.();
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The trace a message continues: W3C `traceparent`, else `Diagnostic-Id` (what the Service Bus extension reads on Azure). */
function traceParentOf(message: ReceivedMessage): { traceParent?: string } {
  const value = message.applicationProperties.traceparent ?? message.applicationProperties['Diagnostic-Id'];
  return typeof value === 'string' ? { traceParent: value } : {};
}
