/**
 * Instance-level operations shared by the durable client API and the engine
 * (sub-orchestrations start instances too). They only write the instance row
 * and enqueue work; the engine applies the work in order.
 */
import { childTraceparent } from '../../shared/platform/trace-context';
import { history, EventType, type HistoryEvent } from './history';
import type { DurableStore, WorkItem } from './store';

type EventItem = Extract<WorkItem, { kind: 'event' }>;
import { executionIdFor, isTerminal, newExecutionState, type InstanceRecord, type ParentLink } from './state';
import { workItems } from './work-items';

export interface StartRequest {
  name: string;
  instanceId: string;
  /** JSON text of the input; absent when the starter passed none. */
  inputJson?: string;
  parent?: ParentLink;
  /** The starter's W3C `traceparent` (header of the start request, or the parent orchestration's span). */
  traceParent?: string;
}

export type StartOutcome = 'started' | 'conflict';

/**
 * Starts (or restarts a finished) instance. Like the extension's default
 * `overridableExistingInstanceStates`, an id whose instance is still pending,
 * running or suspended is a conflict.
 */
/** `started` receives the start item once the instance row exists, so the engine can apply it without a poll. */
export async function startInstance(
  store: DurableStore, request: StartRequest, now: Date, started?: (item: EventItem) => void,
): Promise<StartOutcome> {
  // Most starts name a new id: two inserts, no read. The start item goes first: if we crash before the
  // row exists, the item is dropped as an orphan; if the row exists, the engine drops it as stray
  // (an execution starts only in its first episode), and we take the path for existing ids.
  const first = startRecord(request, 1, now);
  const firstItem = startItem(request, first.executionId, now);
  if (await store.insertWorkItem(firstItem)) {
    if (await store.createInstance(first)) {
      started?.(firstItem);
      return 'started';
    }
    await store.deleteWorkItem(request.instanceId, firstItem.id);
  }
  const existing = await store.getInstance(request.instanceId);
  if (existing && !isTerminal(existing.record.status)) return 'conflict';
  const record = startRecord(request, (existing?.record.generation ?? 0) + 1, now);
  const item = startItem(request, record.executionId, now);
  await store.putWorkItem(item);
  if (existing) await store.replaceInstance(record, existing.etag);
  else if (!(await store.createInstance(record))) return 'conflict';
  started?.(item);
  return 'started';
}

function startRecord(request: StartRequest, generation: number, now: Date): InstanceRecord {
  return {
    instanceId: request.instanceId, name: request.name, generation, executionId: executionIdFor(generation),
    status: 'Pending', createdTime: now.toISOString(), lastUpdatedTime: now.toISOString(), episodes: 0,
    appliedItems: [], exec: newExecutionState(), traceParent: childTraceparent(request.traceParent),
    ...(request.inputJson === undefined ? {} : { input: request.inputJson }),
    ...(request.parent ? { parent: request.parent } : {}),
  };
}

function startItem(request: StartRequest, executionId: string, now: Date): EventItem {
  const started = history.executionStarted(now, request.name, request.inputJson, request.parent?.instanceId);
  return workItems.executionStarted(request.instanceId, executionId, started, now);
}

export type DeliveryOutcome = 'accepted' | 'notFound' | 'gone';

/** Queues an event for a live instance: 404 semantics for unknown ids, 410 for finished ones. */
async function deliver(store: DurableStore, instanceId: string, event: HistoryEvent, now: Date): Promise<DeliveryOutcome> {
  const existing = await store.getInstance(instanceId);
  if (!existing) return 'notFound';
  if (isTerminal(existing.record.status)) return 'gone';
  await store.putWorkItem(workItems.external(instanceId, event, now));
  return 'accepted';
}

export const control = {
  raiseEvent: (store: DurableStore, instanceId: string, name: string, inputJson: string | undefined, now: Date) =>
    deliver(store, instanceId, history.eventRaised(now, name, inputJson), now),
  terminate: (store: DurableStore, instanceId: string, reason: string, now: Date) =>
    deliver(store, instanceId, history.executionTerminated(now, reason), now),
  suspend: (store: DurableStore, instanceId: string, reason: string, now: Date) =>
    deliver(store, instanceId, history.executionSuspended(now, reason), now),
  resume: (store: DurableStore, instanceId: string, reason: string, now: Date) =>
    deliver(store, instanceId, history.executionResumed(now, reason), now),
};

export type PurgeOutcome = 'purged' | 'notFound' | 'running';

export async function purgeInstance(store: DurableStore, instanceId: string): Promise<PurgeOutcome> {
  const existing = await store.getInstance(instanceId);
  if (!existing) return 'notFound';
  if (!isTerminal(existing.record.status)) return 'running';
  await store.purgeInstance(instanceId);
  return 'purged';
}

/** Tells the parent orchestration how its sub-orchestration ended. */
export async function notifyParent(store: DurableStore, record: InstanceRecord, outcome: HistoryEvent, now: Date): Promise<void> {
  const parent = record.parent;
  if (!parent) return;
  const event: HistoryEvent = { ...outcome, TaskScheduledId: parent.taskId };
  await store.putWorkItem(workItems.taskOutcome(parent.instanceId, parent.executionId, parent.taskId, event, now));
}

/** Starts a sub-orchestration unless this parent task already started it (episode re-run after a crash). */
export async function startChild(
  store: DurableStore, parent: ParentLink, name: string, childId: string, input: unknown, now: Date, traceParent?: string,
): Promise<void> {
  const existing = await store.getInstance(childId);
  const link = existing?.record.parent;
  if (link && link.instanceId === parent.instanceId && link.executionId === parent.executionId && link.taskId === parent.taskId) return;
  const request: StartRequest = {
    name, instanceId: childId, parent, ...(input === undefined ? {} : { inputJson: JSON.stringify(input) }), ...(traceParent ? { traceParent } : {}),
  };
  if ((await startInstance(store, request, now)) === 'conflict') {
    const failure = {
      ErrorType: 'InvalidOperationException', ErrorMessage: `An instance with ID '${childId}' already exists.`, IsNonRetriable: true,
    };
    const event = history.subOrchestrationFailed(now, parent.taskId, failure);
    await store.putWorkItem(workItems.taskOutcome(parent.instanceId, parent.executionId, parent.taskId, event, now));
  }
}

/** True for events the engine applies without running the orchestrator. */
export function isControlEvent(event: HistoryEvent): boolean {
  const control: number[] = [EventType.ExecutionTerminated, EventType.ExecutionSuspended, EventType.ExecutionResumed];
  return control.includes(event.EventType);
}

export type { WorkItem };
