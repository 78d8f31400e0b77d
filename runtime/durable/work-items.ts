/**
 * Factories for pending work. Ids are deterministic where the same work may be
 * produced twice (an episode re-run after a crash, an activity run twice), so
 * the second write lands on the first row instead of duplicating it.
 */
import { randomUUID } from 'node:crypto';
import type { HistoryEvent } from './history';
import type { WorkItem } from './store';

let counter = 0;

/** Sort key: visibility time, then arrival order (external events are delivered FIFO). */
function orderKey(visibleAt: Date): string {
  counter = (counter + 1) % 1_000_000;
  return `${String(visibleAt.getTime()).padStart(15, '0')}-${String(process.pid).padStart(7, '0')}-${String(counter).padStart(6, '0')}`;
}

type EventItem = Extract<WorkItem, { kind: 'event' }>;

function eventItem(id: string, instanceId: string, event: HistoryEvent, visibleAt: Date, executionId?: string): EventItem {
  return {
    kind: 'event', id, instanceId, visibleAt: visibleAt.toISOString(), order: orderKey(visibleAt), event,
    ...(executionId === undefined ? {} : { executionId }),
  };
}

export const workItems = {
  /** Starts an execution; one per execution id. */
  executionStarted: (instanceId: string, executionId: string, event: HistoryEvent, now: Date) =>
    eventItem(`x-${executionId}`, instanceId, event, now, executionId),
  /** The result of task `taskId` (activity, sub-orchestration or an expired retry). */
  taskOutcome: (instanceId: string, executionId: string, taskId: number, event: HistoryEvent, now: Date) =>
    eventItem(`c-${executionId}-${taskId}`, instanceId, event, now, executionId),
  timer: (instanceId: string, executionId: string, taskId: number, event: HistoryEvent, fireAt: Date) =>
    eventItem(`t-${executionId}-${taskId}`, instanceId, event, fireAt, executionId),
  /** External events and control operations are unique deliveries, not tied to an execution. */
  external: (instanceId: string, event: HistoryEvent, now: Date) => eventItem(`r-${randomUUID()}`, instanceId, event, now),
  activity: (instanceId: string, executionId: string, taskId: number, name: string, input: unknown, now: Date): WorkItem => ({
    kind: 'activity', id: `a-${executionId}-${taskId}`, instanceId, executionId, taskId, name, input,
    visibleAt: now.toISOString(), order: orderKey(now),
  }),
  timerId: (executionId: string, taskId: number) => `t-${executionId}-${taskId}`,
};
