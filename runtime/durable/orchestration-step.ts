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
  /**
   * Called right after a step committed, with the activities and timers it scheduled: activities
   * can start now and timers fire on time, without waiting for a poll (the applied item is deleted after this).
   */
  onCommitted?: (record: InstanceRecord, activities: ActivityItem[], timers: EventItem[]) => void;
}

export type EventItem = Extract<WorkItem, { kind: 'event' }>;
type ActivityItem = Extract<WorkItem, { kind: 'activity' }>;
/** `held`: keep the item for later (suspended instance, or a start not yet visible). */
export type StepResult = 'applied' | 'dropped' | 'held';

/** What a step did; `otherWork`: it wrote work a poll must find (timers, starts, parent outcomes). */
export interface StepOutcome {
  result: StepResult;
  otherWork: boolean;
}

const appliedMemory = 50;
const orphanGraceMs = 60_000;

/** Why an item cannot be applied to `loaded` now, if it cannot. */
function hindrance(item: EventItem, loaded: { record: InstanceRecord } | undefined): 'held' | 'drop' | undefined {
  const age = Date.now() - new Date(item.visibleAt).getTime();
  if (!loaded) return age < orphanGraceMs && item.event.EventType === EventType.ExecutionStarted ? 'held' : 'drop';
  const { record } = loaded;
  if (item.executionId !== undefined && item.executionId > record.executionId) return 'held';
  const stale = item.executionId !== undefined && item.executionId !== record.executionId;
  if (stale || record.appliedItems.includes(item.id) || isTerminal(record.status)) return 'drop';
  // An execution starts once, in its first episode (a start item written by a start that lost its race is stray).
  if (item.event.EventType === EventType.ExecutionStarted && record.episodes > 0) return 'drop';
  if (record.status === 'Suspended' && !isControlEvent(item.event)) return 'held';
  const taskId = completedTaskId(item.event);
  if (taskId !== undefined && record.exec.tasks[taskId] === undefined) return 'drop';
  return undefined;
}

export async function applyEventItem(deps: StepDeps, item: EventItem): Promise<StepOutcome> {
  const { store } = deps;
  const known = await store.knownInstance(item.instanceId);
  let loaded: { record: InstanceRecord; etag: string } | undefined = known;
  let blocked = hindrance(item, loaded);
  // The row this store last wrote is enough to apply; holding or dropping work is decided on a fresh read.
  if (blocked && known?.cached) {
    loaded = await store.getInstance(item.instanceId);
    blocked = hindrance(item, loaded);
  }
  if (blocked === 'held') return { result: 'held', otherWork: false };
  if (blocked || !loaded) return { result: await drop(store, item), otherWork: false };
  const { record, etag } = loaded;

  const now = episodeTime(record, item.event);
  const next: InstanceRecord = structuredClone(record);
  next.lastUpdatedTime = now.toISOString();
  next.appliedItems = [...record.appliedItems, item.id].slice(-appliedMemory);
  next.exec.lastEpisodeAt = now.toISOString();
  const episode = isControlEvent(item.event)
    ? applyControl(next, item.event, now)
    : await runOrchestrator(deps, record, next, item.event, now);
  const work = episode.work ?? { items: [], children: [] };
  // Everything before the commit has a deterministic id, so these writes may go in parallel.
  await Promise.all([
    store.writeEpisode(record.instanceId, record.executionId, record.episodes, episode.events),
    store.putWorkItems(record.instanceId, work.items),
  ]);
  for (const start of work.children) await start();
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
  const activities = work.items.filter((w): w is ActivityItem => w.kind === 'activity');
  const timers = work.items.filter((w): w is EventItem => w.kind === 'event' && w.event.EventType === EventType.TimerFired);
  deps.onCommitted?.(next, activities, timers);
  const canceled = episode.canceledTimers.map((id) => workItems.timerId(record.executionId, id));
  await store.deleteWorkItems(item.instanceId, [item.id, ...canceled]);
  const otherWork = episode.restart === true || episode.parentOutcome !== undefined || work.children.length > 0
    || work.items.length > activities.length + timers.length;
  return { result: 'applied', otherWork };
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
  /** Work items to write before the commit, and sub-orchestrations to start (each reads before it writes). */
  work?: { items: WorkItem[]; children: (() => Promise<void>)[] };
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
  return { events, canceledTimers, work: scheduleWork(deps, next, [...implicit.work, ...yielded.work], now) };
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

function scheduleWork(deps: StepDeps, next: InstanceRecord, work: Allocation['work'], now: Date): NonNullable<EpisodeEffects['work']> {
  const { store } = deps;
  const exec = next.executionId;
  const items: WorkItem[] = [];
  const children: (() => Promise<void>)[] = [];
  for (const w of work) {
    if (w.kind === 'activity') {
      items.push(workItems.activity(next.instanceId, exec, w.taskId, w.name, w.input, now));
    } else if (w.kind === 'timer') {
      const fired = history.timerFired(w.fireAt, w.taskId, w.fireAt);
      items.push(workItems.timer(next.instanceId, exec, w.taskId, fired, w.fireAt));
    } else if (w.kind === 'subOrchestration') {
      children.push(() => startChild(store, { instanceId: next.instanceId, executionId: exec, taskId: w.taskId }, w.name, w.instanceId, w.input, now, next.traceParent));
    } else {
      const failure: FailureDetails = { ErrorType: 'TimeoutException', ErrorMessage: 'retry timeout expired', IsNonRetriable: true };
      const isChild = next.exec.tasks[w.taskId]?.kind === 'subOrchestration';
      const failed = isChild ? history.subOrchestrationFailed(now, w.taskId, failure) : history.taskFailed(now, w.taskId, failure);
      items.push(workItems.taskOutcome(next.instanceId, exec, w.taskId, failed, now));
    }
  }
  return { items, children };
}

