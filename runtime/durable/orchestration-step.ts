/**
 * Applies one pending event to its orchestration instance: one episode
 * (OrchestratorStarted + the event + decisions + OrchestratorCompleted), then
 * one commit. Everything written before the commit has a deterministic id, so
 * re-running an episode after a crash overwrites rather than duplicates.
 */
import type { HostLog, Invoker } from '../types';
import { runEpisode, type OrchestratorState } from './episode';
import { EventType, completedTaskId, history, toJsonText, type FailureDetails, type HistoryEvent } from './history';
import { isControlEvent, notifyParent, startChild } from './instances';
import {
  allocateForActions, allocateForEvent, assertDeterministic, canceledTimerIds, NonDeterministicOrchestrationError, UnsupportedActionError,
  type Allocation, type TimerLimits,
} from './numbering';
import { executionIdFor, isTerminal, newExecutionState, type InstanceRecord } from './state';
import type { DurableStore, WorkItem } from './store';
import { workItems } from './work-items';

export interface StepDeps {
  store: DurableStore;
  invoker: Invoker;
  log: HostLog;
  limits: TimerLimits;
  /** The same limits as .NET TimeSpan text, as the SDK receives them. */
  timerDurations: { maximumShortTimerDuration: string; longRunningTimerIntervalDuration: string };
}

export type EventItem = Extract<WorkItem, { kind: 'event' }>;
/** `held`: keep the item for later (suspended instance, or a start not yet visible). */
export type StepResult = 'applied' | 'dropped' | 'held';

const appliedMemory = 50;
const orphanGraceMs = 60_000;

export async function applyEventItem(deps: StepDeps, item: EventItem): Promise<StepResult> {
  const { store } = deps;
  const loaded = await store.getInstance(item.instanceId);
  const age = Date.now() - new Date(item.visibleAt).getTime();
  if (!loaded) return age < orphanGraceMs && item.event.EventType === EventType.ExecutionStarted ? 'held' : drop(store, item);
  const { record, etag } = loaded;
  if (item.executionId !== undefined && item.executionId > record.executionId) return 'held';
  const stale = item.executionId !== undefined && item.executionId !== record.executionId;
  if (stale || record.appliedItems.includes(item.id) || isTerminal(record.status)) return drop(store, item);
  if (record.status === 'Suspended' && !isControlEvent(item.event)) return 'held';
  const taskId = completedTaskId(item.event);
  if (taskId !== undefined && record.exec.tasks[taskId] === undefined) return drop(store, item);

  const now = episodeTime(record, item.event);
  const next: InstanceRecord = structuredClone(record);
  next.lastUpdatedTime = now.toISOString();
  next.appliedItems = [...record.appliedItems, item.id].slice(-appliedMemory);
  next.exec.lastEpisodeAt = now.toISOString();
  const episode = isControlEvent(item.event)
    ? applyControl(next, item.event, now)
    : await runOrchestrator(deps, record, next, item.event, now);
  await store.writeEpisode(record.instanceId, record.executionId, record.episodes, episode.events);
  next.episodes = record.episodes + 1;
  if (episode.restart) {
    next.generation += 1;
    next.executionId = executionIdFor(next.generation);
    next.exec = newExecutionState();
    next.episodes = 0;
    const started = history.executionStarted(now, next.name, next.input, next.parent?.instanceId);
    await store.putWorkItem(workItems.executionStarted(next.instanceId, next.executionId, started, now));
  }
  if (episode.parentOutcome) await notifyParent(store, next, episode.parentOutcome, now);
  await store.replaceInstance(next, etag); // the commit point
  await store.deleteWorkItem(item.instanceId, item.id);
  for (const id of episode.canceledTimers) await store.deleteWorkItem(item.instanceId, workItems.timerId(record.executionId, id));
  return 'applied';
}

async function drop(store: DurableStore, item: EventItem): Promise<StepResult> {
  await store.deleteWorkItem(item.instanceId, item.id);
  return 'dropped';
}

/** Now, but never before the previous episode nor (for a timer) before the fire time. */
function episodeTime(record: InstanceRecord, event: HistoryEvent): Date {
  const candidates = [Date.now(), new Date(record.exec.lastEpisodeAt ?? 0).getTime() + 1];
  if (event.EventType === EventType.TimerFired && typeof event['FireAt'] === 'string') {
    candidates.push(new Date(event['FireAt']).getTime());
  }
  return new Date(Math.max(...candidates));
}

interface EpisodeEffects {
  events: HistoryEvent[];
  /** continueAsNew: start a new execution with `next.input`. */
  restart?: boolean;
  parentOutcome?: HistoryEvent;
  canceledTimers: number[];
}

function applyControl(next: InstanceRecord, event: HistoryEvent, now: Date): EpisodeEffects {
  const stamped = { ...event, Timestamp: now.toISOString() };
  if (event.EventType === EventType.ExecutionSuspended) next.status = 'Suspended';
  if (event.EventType === EventType.ExecutionResumed) next.status = 'Running';
  if (event.EventType !== EventType.ExecutionTerminated) return { events: [stamped], canceledTimers: [] };
  const reason = typeof event['Input'] === 'string' ? (JSON.parse(event['Input']) as unknown) : '';
  next.status = 'Terminated';
  next.output = JSON.stringify(reason);
  const failure: FailureDetails = { ErrorType: 'TerminatedException', ErrorMessage: `Terminated: ${String(reason)}`, IsNonRetriable: true };
  return { events: [stamped], parentOutcome: history.subOrchestrationFailed(now, 0, failure), canceledTimers: [] };
}

async function runOrchestrator(
  deps: StepDeps, record: InstanceRecord, next: InstanceRecord, event: HistoryEvent, now: Date,
): Promise<EpisodeEffects> {
  if (event.EventType === EventType.ExecutionStarted) next.status = 'Running';
  const implicit = allocateForEvent(next.exec, event, now, deps.limits, record.instanceId);
  const past = (await deps.store.readHistory(record.instanceId, record.executionId, record.episodes)).map((e) => ({ ...e, IsPlayed: true }));
  const fresh = [history.orchestratorStarted(now), { ...event, Timestamp: now.toISOString() }];
  const outcome = await runEpisode(deps.invoker, {
    functionName: record.name, instanceId: record.instanceId, parentInstanceId: record.parent?.instanceId,
    input: record.input === undefined ? undefined : JSON.parse(record.input), history: [...past, ...fresh], ...deps.timerDurations,
    ...(record.traceParent ? { traceParent: record.traceParent } : {}),
  });
  const state: OrchestratorState | undefined = outcome.state;
  next.customStatus = state?.customStatus === undefined || state.customStatus === null ? undefined : JSON.stringify(state.customStatus);
  if (outcome.kind === 'failed') return fail(deps, record, next, fresh, now, outcome.errorType, outcome.message);

  let yielded: Allocation;
  try {
    assertDeterministic(next.exec, outcome.state.actions);
    yielded = allocateForActions(next.exec, outcome.state.actions, now, deps.limits, record.instanceId);
  } catch (error) {
    if (!(error instanceof UnsupportedActionError) && !(error instanceof NonDeterministicOrchestrationError)) throw error;
    return fail(deps, record, next, fresh, now, error.name, error.message);
  }
  const canceledTimers = canceledTimerIds(next.exec, outcome.state.actions);
  for (const id of canceledTimers) delete next.exec.tasks[id];
  const events = [...fresh, ...implicit.decisions, ...yielded.decisions, history.orchestratorCompleted(now)];

  if (yielded.continueAsNew) {
    next.status = 'ContinuedAsNew';
    next.input = JSON.stringify(yielded.continueAsNew.input ?? null);
    return { events, restart: true, canceledTimers };
  }
  if (outcome.state.isDone) {
    const result = toJsonText(outcome.state.output);
    next.status = 'Completed';
    next.output = result;
    return { events: [...events, history.executionCompleted(now, result)], parentOutcome: history.subOrchestrationCompleted(now, 0, result), canceledTimers };
  }
  await scheduleWork(deps, next, [...implicit.work, ...yielded.work], now);
  return { events, canceledTimers };
}

function fail(
  deps: StepDeps, record: InstanceRecord, next: InstanceRecord, fresh: HistoryEvent[], now: Date, errorType: string, message: string,
): EpisodeEffects {
  deps.log.error(`orchestration ${record.name} (${record.instanceId}) failed: ${message}`);
  next.status = 'Failed';
  next.output = JSON.stringify(`Orchestrator function '${record.name}' failed: ${message}`);
  const failure: FailureDetails = { ErrorType: errorType, ErrorMessage: message, IsNonRetriable: false };
  return {
    events: [...fresh, history.orchestratorCompleted(now), history.executionFailed(now, message)],
    parentOutcome: history.subOrchestrationFailed(now, 0, failure),
    canceledTimers: [],
  };
}

async function scheduleWork(deps: StepDeps, next: InstanceRecord, work: Allocation['work'], now: Date): Promise<void> {
  const { store } = deps;
  const exec = next.executionId;
  for (const w of work) {
    if (w.kind === 'activity') {
      await store.putWorkItem(workItems.activity(next.instanceId, exec, w.taskId, w.name, w.input, now));
    } else if (w.kind === 'timer') {
      const fired = history.timerFired(w.fireAt, w.taskId, w.fireAt);
      await store.putWorkItem(workItems.timer(next.instanceId, exec, w.taskId, fired, w.fireAt));
    } else if (w.kind === 'subOrchestration') {
      await startChild(store, { instanceId: next.instanceId, executionId: exec, taskId: w.taskId }, w.name, w.instanceId, w.input, now, next.traceParent);
    } else {
      const failure: FailureDetails = { ErrorType: 'TimeoutException', ErrorMessage: 'retry timeout expired', IsNonRetriable: true };
      const isChild = next.exec.tasks[w.taskId]?.kind === 'subOrchestration';
      const failed = isChild ? history.subOrchestrationFailed(now, w.taskId, failure) : history.taskFailed(now, w.taskId, failure);
      await store.putWorkItem(workItems.taskOutcome(next.instanceId, exec, w.taskId, failed, now));
    }
  }
}

