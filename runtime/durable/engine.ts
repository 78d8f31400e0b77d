/**
 * Dispatch loop of the durable engine: polls the work-items table, applies
 * each instance's due events one at a time and in order (one event per
 * episode keeps the SDK's task numbering unambiguous), and runs activities up
 * to a concurrency limit. All state lives in the store, so a new engine over
 * the same tables resumes where a crashed one stopped.
 */
import type { HostLog, Invoker } from '../types';
import { runActivityItem, type ActivityItem } from './activity-runner';
import { applyEventItem, type EventItem, type StepDeps } from './orchestration-step';
import type { TimerLimits } from './numbering';
import type { DurableStore, WorkItem } from './store';

export interface EngineOptions {
  /** How often the work-items table is polled when nothing was kicked, ms. */
  pollIntervalMs: number;
  /** Activities run at once by this host (host.json `maxConcurrentActivityFunctions`). */
  maxConcurrentActivities: number;
  limits: TimerLimits;
  timerDurations: StepDeps['timerDurations'];
}

export class DurableEngine {
  private readonly deps: StepDeps;
  private readonly busyInstances = new Set<string>();
  /** Keyed by `workKey`: work-item ids are unique only within their instance. */
  private readonly runningActivities = new Set<string>();
  private readonly inFlight = new Set<Promise<void>>();
  /**
   * When each activity finished (ms). A listing that began before then may
   * still show the item, although its outcome was recorded and the item deleted.
   */
  private readonly activityFinishedAt = new Map<string, number>();
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
    this.deps = { store, invoker, log, limits: options.limits, timerDurations: options.timerDurations };
  }

  start(): void {
    this.stopped = false;
    this.kick();
  }

  /** Stops polling and waits for the episodes and activities under way. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
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
    for (const [id, at] of this.activityFinishedAt) if (at < listedAt - 60_000) this.activityFinishedAt.delete(id);
    const eventsByInstance = new Map<string, EventItem[]>();
    for (const item of items) {
      if (item.kind === 'event') {
        const list = eventsByInstance.get(item.instanceId) ?? [];
        list.push(item);
        eventsByInstance.set(item.instanceId, list);
      } else {
        const key = workKey(item);
        if (
          !this.runningActivities.has(key) &&
          (this.activityFinishedAt.get(key) ?? -Infinity) < listedAt &&
          this.runningActivities.size < this.options.maxConcurrentActivities
        ) {
          this.track(key, this.runningActivities, () => this.runActivity(item));
        }
      }
    }
    for (const [instanceId, events] of eventsByInstance) {
      if (!this.busyInstances.has(instanceId)) this.track(instanceId, this.busyInstances, () => this.applyEvents(events));
    }
  }

  /** Runs `work` with `key` marked busy; polls again at once when it made progress. */
  private track(key: string, busy: Set<string>, work: () => Promise<boolean>): void {
    busy.add(key);
    const promise: Promise<void> = work()
      .catch((error: unknown) => {
        this.log.error(`durable engine: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
        return false;
      })
      .then((progressed) => {
        busy.delete(key);
        this.inFlight.delete(promise);
        if (progressed) this.kick();
      });
    this.inFlight.add(promise);
  }

  private async applyEvents(events: EventItem[]): Promise<boolean> {
    let progressed = false;
    for (const item of events) {
      if (this.stopped) break;
      if ((await applyEventItem(this.deps, item)) !== 'held') progressed = true;
    }
    return progressed;
  }

  private async runActivity(item: ActivityItem): Promise<boolean> {
    if (this.stopped) return false;
    const result = await runActivityItem(this.store, this.deps.invoker, this.log, item);
    if (result !== 'waiting') this.activityFinishedAt.set(workKey(item), Date.now());
    return result !== 'waiting';
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
