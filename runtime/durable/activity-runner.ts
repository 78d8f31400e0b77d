/**
 * Runs one activity work item and records its outcome. The outcome and the
 * removal of the activity are one table transaction, so a recorded result is
 * never followed by a second run; an activity interrupted by a crash runs again
 * (at-least-once, as on Azure).
 */
import { childTraceparent } from '../../shared/platform/trace-context';
import type { HostLog, Invoker } from '../types';
import { failureFromError, history, toJsonText } from './history';
import type { InstanceRecord } from './state';
import type { DurableStore, WorkItem } from './store';
import { workItems } from './work-items';

export type ActivityItem = Extract<WorkItem, { kind: 'activity' }>;
type EventItem = Extract<WorkItem, { kind: 'event' }>;
/** `waiting`: the scheduling episode has not committed yet, try later. `completed` carries the recorded outcome. */
export type ActivityResult = { kind: 'completed'; outcome: EventItem } | { kind: 'dropped' } | { kind: 'waiting' };

const isOpen = (record: InstanceRecord | undefined, item: ActivityItem): boolean =>
  record?.executionId === item.executionId && record.exec.tasks[item.taskId]?.kind === 'activity';

/**
 * `committed`: the instance row the scheduling step has just committed (the engine hands activities
 * over at once); without it the row this store last saw is enough to run, and a fresh read decides
 * whether to wait or drop.
 */
export async function runActivityItem(
  store: DurableStore, invoker: Invoker, log: HostLog, item: ActivityItem, committed?: InstanceRecord,
): Promise<ActivityResult> {
  let known = committed ?? (await store.knownInstance(item.instanceId))?.record;
  if (!isOpen(known, item)) {
    const fresh = (await store.getInstance(item.instanceId))?.record;
    known = fresh;
    if (fresh && fresh.executionId === item.executionId && item.taskId >= fresh.exec.nextSeq) return { kind: 'waiting' };
    if (!isOpen(fresh, item)) {
      await store.deleteWorkItem(item.instanceId, item.id); // finished, superseded or purged
      return { kind: 'dropped' };
    }
  }
  const now = (): Date => new Date();
  let outcome;
  try {
    // The activity's span is a child of its orchestration's (one operation id from the starter on).
    const parentTrace = known?.traceParent;
    const trace = parentTrace ? { traceParent: childTraceparent(parentTrace) } : {};
    const result = await invoker.invoke({ functionName: item.name, triggerValue: item.input, correlationId: `${item.instanceId}:${item.taskId}`, ...trace });
    outcome = history.taskCompleted(now(), item.taskId, toJsonText(result.returnValue));
  } catch (error) {
    log.info(`activity ${item.name} (${item.instanceId}#${item.taskId}) failed: ${error instanceof Error ? error.message : String(error)}`);
    outcome = history.taskFailed(now(), item.taskId, failureFromError(error));
  }
  const recorded = workItems.taskOutcome(item.instanceId, item.executionId, item.taskId, outcome, now());
  await store.completeActivity(item, recorded);
  return { kind: 'completed', outcome: recorded };
}
