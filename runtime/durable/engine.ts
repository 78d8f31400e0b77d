/**
 * Dispatch loop of the durable engine: polls the work-items table, applies
 * each instance's due events one at a time and in order (one event per
 * episode keeps the SDK's task numbering unambiguous), and runs activities up
 * to a concurrency limit. All state lives in the store, so a new engine over
 * the same tables resumes where a crashed one stopped.
 *
 * Work this engine produced itself does not wait for a poll: a step's committed
 * activities start at once, and an activity's recorded outcome goes straight to
 * its instance. Both are in the table first, so the poll remains the safety net.
 */
import type { HostLog, Invoker } from '../types';
import { runActivityItem, type ActivityItem } from './activity-runner';
import { applyEventItem, type EventItem, type StepDeps } from './orchestration-step';
import type { TimerLimits } from './numbering';
import type { InstanceRecord } from './state';
import type { DurableStore, WorkItem } from './store';

export interface EngineOptions {
  /** How often the work-items table is polled when nothing was kicked, ms. */
  pollIntervalMs: number;
  /** Activities run at once by this host (host.json `maxConcurrentActivityFunctions`). */
  maxConcurrentActivities: number;
  limits: TimerLimits;
  timerDurations: StepDeps['timerDurations'];
}

/** Timers due within this are polled for at their fire time, ms. */
const wakeupHorizonMs = 10 * 60_000;

export class DurableEngine {
  private readonly deps: StepDeps;
  private readonly busyInstances = new Set<string>();
  /** Keyed by `workKey`: work-item ids are unique only within their instance. */
  private readonly runningActivities = new Set<string>();
  private readonly inFlight = new Set<Promise<void>>();
  /**
   * When each item was finished (applied, dropped or run), ms. A listing that began before then
   * may still show the item, although its outcome was recorded and the item deleted.
   */
  private readonly finishedAt = new Map<string, number>();
  /** Outcomes of this engine's activities, handed to their instance without a poll. */
  private readonly handed = new Map<string, EventItem[]>();
  /** Activities waiting for a free slot, in arrival order, with the committed row when handed over. */
  private readonly waitingActivities = new Map<string, { item: ActivityItem; committed?: InstanceRecord }>();
  /** Wake-ups at the fire time of timers this engine scheduled (a poll would find them up to an interval late). */
  private readonly timerWakeups = new Set<NodeJS.Timeout>();
  private timer: NodeJS.Timeout | undefined;
  private polling = false;
  private pollAgain = false;
  private stopped = true;

  constructor(
    private readonly store: DurableStore,
    invoker: Invoker,
    private readonly log: HostLog,
    private readonly options: EngineOptions,
  ) {
    this.deps = {
      store, invoker, log, limits: options.limits, timerDurations: options.timerDurations,
      onCommitted: (record, activities, timers) => {
        for (const item of activities) this.startActivity(item, record);
        for (const timer of timers) this.wakeAt(new Date(timer.visibleAt).getTime());
      },
    };
  }

  start(): void {
    this.stopped = false;
    this.kick();
  }

  /** Stops polling and waits for the episodes and activities under way. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    for (const wakeup of this.timerWakeups) clearTimeout(wakeup);
    this.timerWakeups.clear();
    this.waitingActivities.clear();
    while (this.inFlight.size > 0 || this.polling) {
      await Promise.allSettled([...this.inFlight]);
      if (this.polling) await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  /** Polls soon: new work was written. */
  kick(): void {
    if (this.stopped) return;
    if (this.polling) {
      this.pollAgain = true;
      return;
    }
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.poll(), 0);
  }

  private async poll(): Promise<void> {
    this.timer = undefined;
    if (this.stopped) return;
    this.polling = true;
    this.pollAgain = false;
    try {
      const listedAt = Date.now();
      this.dispatch(await this.store.listDueWorkItems(new Date()), listedAt);
    } catch (error) {
      this.log.error(`durable engine poll failed: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      this.polling = false;
    }
    if (this.stopped) return;
    if (this.pollAgain) this.kick();
    else this.timer = setTimeout(() => void this.poll(), this.options.pollIntervalMs);
  }

  private dispatch(items: WorkItem[], listedAt: number): void {
    for (const [id, at] of this.finishedAt) if (at < listedAt - 60_000) this.finishedAt.delete(id);
    const eventsByInstance = new Map<string, EventItem[]>();
    for (const item of items) {
      if ((this.finishedAt.get(workKey(item)) ?? -Infinity) >= listedAt) continue;
      if (item.kind === 'event') {
        const list = eventsByInstance.get(item.instanceId) ?? [];
        list.push(item);
        eventsByInstance.set(item.instanceId, list);
      } else {
        this.startActivity(item);
      }
    }
    for (const [instanceId, events] of eventsByInstance) this.runInstance(instanceId, events);
  }

  /** `committed`: the instance row the scheduling step has just committed, when it hands the activity over. */
  private startActivity(item: ActivityItem, committed?: InstanceRecord): void {
    const key = workKey(item);
    if (this.stopped || this.runningActivities.has(key)) return;
    if (this.runningActivities.size >= this.options.maxConcurrentActivities) {
      if (!this.waitingActivities.has(key)) this.waitingActivities.set(key, committed ? { item, committed } : { item });
      return;
    }
    this.waitingActivities.delete(key);
    this.runningActivities.add(key);
    const promise: Promise<void> = runActivityItem(this.store, this.deps.invoker, this.log, item, committed)
      .then((result) => {
        if (result.kind !== 'waiting') this.finishedAt.set(key, Date.now());
        if (result.kind === 'completed') this.hand(result.outcome);
      })
      .catch((error: unknown) => this.logFailure(error))
      .finally(() => {
        this.runningActivities.delete(key);
        this.inFlight.delete(promise);
        for (const [waitingKey, next] of this.waitingActivities) {
          this.waitingActivities.delete(waitingKey);
          if (this.finishedAt.has(waitingKey)) continue; // a listing ran it meanwhile
          this.startActivity(next.item, next.committed);
          break;
        }
      });
    this.inFlight.add(promise);
  }

  /** Polls when a timer this engine scheduled is due; far-off timers are left to the idle poll. */
  private wakeAt(fireAt: number): void {
    const delay = fireAt - Date.now();
    if (this.stopped || delay > wakeupHorizonMs) return;
    const wakeup = setTimeout(() => {
      this.timerWakeups.delete(wakeup);
      this.kick();
    }, Math.max(0, delay) + 2); // a little after: the listing compares against its own clock
    wakeup.unref();
    this.timerWakeups.add(wakeup);
  }

  /** Applies an event this host has just written (an instance start) without waiting for a poll. */
  handOver(item: EventItem): void {
    this.hand(item);
  }

  private hand(item: EventItem): void {
    const list = this.handed.get(item.instanceId) ?? [];
    list.push(item);
    this.handed.set(item.instanceId, list);
    this.runInstance(item.instanceId, []);
  }

  /** Applies `listed`, then whatever was handed over meanwhile, one instance at a time. */
  private runInstance(instanceId: string, listed: EventItem[]): void {
    if (this.stopped || this.busyInstances.has(instanceId)) return; // a busy instance drains its handed items itself
    this.busyInstances.add(instanceId);
    const promise: Promise<void> = this.applyEvents(instanceId, listed)
      .catch((error: unknown) => {
        this.handed.delete(instanceId); // they are in the table: the poll retries them
        this.logFailure(error);
        return false;
      })
      .then((otherWork) => {
        this.busyInstances.delete(instanceId);
        this.inFlight.delete(promise);
        if (this.handed.has(instanceId)) this.runInstance(instanceId, []);
        if (otherWork) this.kick();
      });
    this.inFlight.add(promise);
  }

  /** True when a step wrote work only a poll finds (timers, sub-orchestration starts, parent outcomes). */
  private async applyEvents(instanceId: string, listed: EventItem[]): Promise<boolean> {
    let otherWork = false;
    for (;;) {
      if (this.stopped) break;
      const item = listed.shift() ?? this.takeHanded(instanceId);
      if (!item) break;
      const outcome = await applyEventItem(this.deps, item);
      if (outcome.result !== 'held') this.finishedAt.set(workKey(item), Date.now());
      otherWork ||= outcome.otherWork;
    }
    return otherWork;
  }

  private takeHanded(instanceId: string): EventItem | undefined {
    const list = this.handed.get(instanceId);
    let item = list?.shift();
    while (item && this.finishedAt.has(workKey(item))) item = list?.shift(); // a poll applied it first
    if (!list?.length) this.handed.delete(instanceId);
    return item;
  }

  private logFailure(error: unknown): void {
    this.log.error(`durable engine: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
  }
}

/**
 * Engine-wide key of a work item. Row keys (`a-<execution>-<task>`) repeat
 * across instances (every first execution is `e000001`), so the instance is
 * part of the key; without it, activities of different instances collided and
 * ran one after another.
 */
export function workKey(item: Pick<WorkItem, 'instanceId' | 'id'>): string {
  return `${item.instanceId}\u0000${item.id}`;
}
