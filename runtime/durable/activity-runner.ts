/**
 * Runs one activity work item and records its outcome. The outcome and the
 * removal of the activity are one table transaction, so a recorded result is
 * never followed by a second run; an activity interrupted by a crash runs again
 * (at-least-once, as on Azure).
 */
import { childTraceparent } from '../../shared/platform/trace-context';
import type { HostLog, Invoker } from '../types';
import { failureFromError, history, toJsonText } from './history';
import type { DurableStore, WorkItem } from './store';
import { workItems } from './work-items';

export type ActivityItem = Extract<WorkItem, { kind: 'activity' }>;
/** `waiting`: the scheduling episode has not committed yet, try later. */
export type ActivityResult = 'completed' | 'dropped' | 'waiting';

export async function runActivityItem(store: DurableStore, invoker: Invoker, log: HostLog, item: ActivityItem): Promise<ActivityResult> {
  const loaded = await store.getInstance(item.instanceId);
  const exec = loaded?.record.exec;
  if (loaded && loaded.record.executionId === item.executionId && exec && item.taskId >= exec.nextSeq) return 'waiting';
  const open = loaded?.record.executionId === item.executionId && exec?.tasks[item.taskId]?.kind === 'activity';
  if (!open) {
    await store.deleteWorkItem(item.instanceId, item.id); // finished, superseded or purged
    return 'dropped';
  }
  const now = (): Date => new Date();
  let outcome;
  try {
    // The activity's span is a child of its orchestration's (one operation id from the starter on).
    const parentTrace = loaded?.record.traceParent;
    const trace = parentTrace ? { traceParent: childTraceparent(parentTrace) } : {};
    const result = await invoker.invoke({ functionName: item.name, triggerValue: item.input, correlationId: `${item.instanceId}:${item.taskId}`, ...trace });
    outcome = history.taskCompleted(now(), item.taskId, toJsonText(result.returnValue));
  } catch (error) {
    log.info(`activity ${item.name} (${item.instanceId}#${item.taskId}) failed: ${error instanceof Error ? error.message : String(error)}`);
    outcome = history.taskFailed(now(), item.taskId, failureFromError(error));
  }
  await store.completeActivity(item, workItems.taskOutcome(item.instanceId, item.executionId, item.taskId, outcome, now()));
  return 'completed';
}
