/**
 * Reproduces the durable-functions SDK's task sequence numbering, which the SDK
 * never sends to the host. The SDK numbers a task when it is first yielded,
 * depth-first through compound tasks (TaskOrchestrationExecutor.trackOpenTask),
 * and while applying a completion event it numbers the follow-up tasks of
 * retries (timer, then next attempt) and of split long timers. Because each
 * episode carries exactly one new event, "numbers from the event, then numbers
 * from the newly yielded actions" is the SDK's order too.
 */
import { EventType, history, completedTaskId, type HistoryEvent } from './history';
import type { ExecutionState, OpenTask, RetryPolicy } from './state';

/** Action types as the SDK serialises them (`ActionType`). */
const Action = {
  CallActivity: 0, CallActivityWithRetry: 1, CallSubOrchestrator: 2, CallSubOrchestratorWithRetry: 3,
  ContinueAsNew: 4, CreateTimer: 5, WaitForExternalEvent: 6, CallEntity: 7, CallHttp: 8, SignalEntity: 9,
  WhenAny: 11, WhenAll: 12, LockEntities: 13, ReleaseEntities: 14,
} as const;

const unsupportedActions: Record<number, string> = {
  [Action.CallEntity]: 'callEntity', [Action.CallHttp]: 'callHttp', [Action.SignalEntity]: 'signalEntity',
  [Action.LockEntities]: 'lock', [Action.ReleaseEntities]: 'lock release',
};

/** One action as it arrives in the orchestrator state (after a JSON round trip). */
export interface RawAction {
  actionType: number;
  functionName?: string;
  input?: unknown;
  instanceId?: string;
  retryOptions?: RetryPolicy;
  fireAt?: string;
  isCanceled?: boolean;
  compoundActions?: RawAction[];
}

export interface TimerLimits {
  /** Timers further away than this are split (the extension's `maximumShortTimerDuration`), ms. */
  maximumShortTimerMs: number;
  /** Length of each split segment (`longRunningTimerIntervalDuration`), ms. */
  longRunningTimerIntervalMs: number;
}

/** Work the host must start because the SDK numbered a task. */
export type ScheduledWork =
  | { kind: 'activity'; taskId: number; name: string; input: unknown }
  | { kind: 'subOrchestration'; taskId: number; name: string; input: unknown; instanceId: string }
  | { kind: 'timer'; taskId: number; fireAt: Date }
  /** A retry whose `retryTimeoutInMilliseconds` ran out: fail the attempt without running it. */
  | { kind: 'retryExpired'; taskId: number };

export interface Allocation {
  decisions: HistoryEvent[];
  work: ScheduledWork[];
  /** Set when the orchestrator called continueAsNew: the next execution's input. */
  continueAsNew?: { input: unknown };
}

export class UnsupportedActionError extends Error {
  override name = 'UnsupportedActionError';
}

/** The replayed orchestrator yielded other work than its history records; the extension fails it. */
export class NonDeterministicOrchestrationError extends Error {
  override name = 'NonDeterministicOrchestrationException';
}

/** What identifies an action on replay: its type and target, recursively through Task.all/any. */
function signature(action: RawAction): string {
  const children = action.compoundActions ? `[${action.compoundActions.map(signature).join(',')}]` : '';
  return `${action.actionType}:${action.functionName ?? ''}${children}`;
}

/**
 * Compares the actions replayed before the cursor with those recorded when they were first
 * scheduled, as DTFx compares replayed decisions with TaskScheduled events. Throws on a mismatch.
 */
export function assertDeterministic(exec: ExecutionState, actions: RawAction[]): void {
  const recorded = exec.actionSignatures ?? [];
  const replayed = actions.slice(0, exec.actionCursor).map(signature);
  for (let i = 0; i < recorded.length; i++) {
    if (replayed[i] === recorded[i]) continue;
    throw new NonDeterministicOrchestrationError(
      `Non-Deterministic workflow detected: action ${i} was ${describe(recorded[i])} in the history ` +
        `but ${describe(replayed[i])} on replay; orchestrator code must not change the work it schedules between replays`,
    );
  }
}

const actionNames: Record<string, string> = {
  0: 'CallActivity', 1: 'CallActivityWithRetry', 2: 'CallSubOrchestrator', 3: 'CallSubOrchestratorWithRetry', 4: 'ContinueAsNew',
  5: 'CreateTimer', 6: 'WaitForExternalEvent', 11: 'WhenAny', 12: 'WhenAll',
};

function describe(sig: string | undefined): string {
  if (sig === undefined) return 'nothing';
  const [type = '', rest = ''] = sig.split(/:(.*)/s);
  const name = rest.replace(/\[.*$/s, '');
  return `${actionNames[type] ?? `action type ${type}`}${name ? ` "${name}"` : ''}`;
}

/** Activity and continueAsNew string inputs arrive JSON-encoded (SDK `processInput`); others raw. */
export function decodeActionInput(input: unknown): unknown {
  if (typeof input !== 'string') return input;
  try {
    return JSON.parse(input);
  } catch {
    return input;
  }
}

function jsonText(value: unknown): string {
  return value === undefined ? '' : JSON.stringify(value);
}

class Allocator {
  readonly result: Allocation = { decisions: [], work: [] };
  constructor(private readonly exec: ExecutionState, private readonly now: Date, private readonly limits: TimerLimits) {}

  private take(task: OpenTask): number {
    const id = this.exec.nextSeq++;
    this.exec.tasks[id] = task;
    return id;
  }

  activity(name: string, input: unknown, retryGroup?: number): number {
    const id = this.take({ kind: 'activity', name, input, ...(retryGroup === undefined ? {} : { retryGroup }) });
    this.result.decisions.push(history.taskScheduled(this.now, id, name, jsonText(input)));
    this.result.work.push({ kind: 'activity', taskId: id, name, input });
    return id;
  }

  subOrchestration(name: string, input: unknown, instanceId: string | undefined, parentId: string, retryGroup?: number): number {
    const id = this.exec.nextSeq;
    // DTFx derives a child id from the parent's when the orchestrator gives none.
    const childId = instanceId ?? `${parentId}:${id.toString(16).padStart(4, '0')}`;
    this.take({ kind: 'subOrchestration', name, input, instanceId: childId, ...(retryGroup === undefined ? {} : { retryGroup }) });
    this.result.decisions.push(history.subOrchestrationCreated(this.now, id, name, childId, jsonText(input)));
    this.result.work.push({ kind: 'subOrchestration', taskId: id, name, input, instanceId: childId });
    return id;
  }

  timer(task: Extract<OpenTask, { kind: 'timer' | 'retryTimer' }>): number {
    const id = this.take(task);
    const fireAt = new Date(task.fireAt);
    this.result.decisions.push(history.timerCreated(this.now, id, fireAt));
    this.result.work.push({ kind: 'timer', taskId: id, fireAt });
    return id;
  }

  /** First segment of a timer, split like the SDK's LongTimerTask when it is far away. */
  userTimer(finalFireAt: Date, path: number[]): void {
    const remaining = finalFireAt.getTime() - this.now.getTime();
    if (remaining > this.limits.maximumShortTimerMs) {
      const fireAt = new Date(this.now.getTime() + this.limits.longRunningTimerIntervalMs);
      this.timer({ kind: 'timer', fireAt: fireAt.toISOString(), path, finalFireAt: finalFireAt.toISOString() });
    } else {
      this.timer({ kind: 'timer', fireAt: finalFireAt.toISOString(), path });
    }
  }
}

/**
 * Applies a completion event to the bookkeeping: closes the task and numbers
 * what the SDK numbers while processing it (retry timer, retry attempt, next
 * long-timer segment). Mutates `exec`.
 */
export function allocateForEvent(
  exec: ExecutionState, event: HistoryEvent, now: Date, limits: TimerLimits, instanceId: string,
): Allocation {
  const alloc = new Allocator(exec, now, limits);
  const taskId = completedTaskId(event);
  const task = taskId === undefined ? undefined : exec.tasks[taskId];
  if (taskId === undefined || task === undefined) return alloc.result;
  delete exec.tasks[taskId];

  const failed = event.EventType === EventType.TaskFailed || event.EventType === EventType.SubOrchestrationInstanceFailed;
  if ((task.kind === 'activity' || task.kind === 'subOrchestration') && task.retryGroup !== undefined) {
    const group = exec.retries[task.retryGroup];
    if (!group) return alloc.result;
    if (!failed) {
      delete exec.retries[task.retryGroup];
      return alloc.result;
    }
    // RetryableTask: a failed attempt is followed by a timer, even after the last attempt.
    const failedAttempt = group.attempt++;
    const expired = retryExpired(group.policy, group.firstScheduledAt, now);
    const delay = group.attempt > group.policy.maxNumberOfAttempts || expired ? 0 : retryDelayMs(group.policy, failedAttempt);
    alloc.timer({ kind: 'retryTimer', fireAt: new Date(now.getTime() + delay).toISOString(), retryGroup: task.retryGroup });
    return alloc.result;
  }
  if (task.kind === 'retryTimer') {
    const group = exec.retries[task.retryGroup];
    if (!group) return alloc.result;
    if (group.attempt > group.policy.maxNumberOfAttempts) {
      delete exec.retries[task.retryGroup]; // the SDK now fails the task
      return alloc.result;
    }
    const id = group.kind === 'activity'
      ? alloc.activity(group.name, group.input, task.retryGroup)
      : alloc.subOrchestration(group.name, group.input, group.instanceId, instanceId, task.retryGroup);
    if (retryExpired(group.policy, group.firstScheduledAt, now)) {
      alloc.result.work = alloc.result.work.filter((w) => w.taskId !== id);
      alloc.result.work.push({ kind: 'retryExpired', taskId: id });
    }
    return alloc.result;
  }
  if (task.kind === 'timer' && task.finalFireAt !== undefined && new Date(task.finalFireAt) > now) {
    alloc.userTimer(new Date(task.finalFireAt), task.path);
  }
  return alloc.result;
}

export function retryDelayMs(policy: RetryPolicy, failedAttempt: number): number {
  const raw = policy.firstRetryIntervalInMilliseconds * Math.pow(policy.backoffCoefficient ?? 1, failedAttempt - 1);
  return policy.maxRetryIntervalInMilliseconds ? Math.min(raw, policy.maxRetryIntervalInMilliseconds) : raw;
}

function retryExpired(policy: RetryPolicy, firstScheduledAt: string, now: Date): boolean {
  const timeout = policy.retryTimeoutInMilliseconds;
  return timeout !== undefined && timeout > 0 && now.getTime() - new Date(firstScheduledAt).getTime() >= timeout;
}

/**
 * Numbers the actions the orchestrator yielded since the cursor (the state
 * lists every action of the execution) and turns them into work. Mutates `exec`.
 * Throws UnsupportedActionError for entity and HTTP actions.
 */
export function allocateForActions(
  exec: ExecutionState, actions: RawAction[], now: Date, limits: TimerLimits, instanceId: string,
): Allocation {
  const alloc = new Allocator(exec, now, limits);
  const visit = (action: RawAction, path: number[]): void => {
    const name = action.functionName ?? '';
    switch (action.actionType) {
      case Action.CallActivity:
        alloc.activity(name, decodeActionInput(action.input));
        return;
      case Action.CallSubOrchestrator:
        alloc.subOrchestration(name, action.input, action.instanceId || undefined, instanceId);
        return;
      case Action.CallActivityWithRetry:
      case Action.CallSubOrchestratorWithRetry: {
        const isActivity = action.actionType === Action.CallActivityWithRetry;
        const input = isActivity ? decodeActionInput(action.input) : action.input;
        const groupId = exec.nextSeq;
        const policy = action.retryOptions ?? { firstRetryIntervalInMilliseconds: 1000, maxNumberOfAttempts: 1 };
        const explicitId = action.instanceId || undefined;
        exec.retries[groupId] = {
          kind: isActivity ? 'activity' : 'subOrchestration', name, input, policy, attempt: 1,
          firstScheduledAt: now.toISOString(), ...(explicitId ? { instanceId: explicitId } : {}),
        };
        if (isActivity) alloc.activity(name, input, groupId);
        else alloc.subOrchestration(name, input, explicitId, instanceId, groupId);
        return;
      }
      case Action.CreateTimer:
        alloc.userTimer(new Date(action.fireAt ?? now), path);
        return;
      case Action.WaitForExternalEvent:
        return; // matched by name; the SDK numbers nothing
      case Action.ContinueAsNew:
        alloc.result.continueAsNew = { input: decodeActionInput(action.input) };
        return;
      case Action.WhenAny:
      case Action.WhenAll:
        (action.compoundActions ?? []).forEach((child, i) => visit(child, [...path, i]));
        return;
      default:
        throw new UnsupportedActionError(
          `${unsupportedActions[action.actionType] ?? `action type ${action.actionType}`} is not supported by the local durable runtime`,
        );
    }
  };
  for (let i = exec.actionCursor; i < actions.length; i++) {
    const action = actions[i];
    if (action) visit(action, [i]);
  }
  exec.actionSignatures = actions.map(signature);
  exec.actionCursor = actions.length;
  return alloc.result;
}

/** Open user timers whose action the orchestrator has since cancelled (Task.any losers). */
export function canceledTimerIds(exec: ExecutionState, actions: RawAction[]): number[] {
  const ids: number[] = [];
  for (const [id, task] of Object.entries(exec.tasks)) {
    if (task.kind !== 'timer') continue;
    if (actionAt(actions, task.path)?.isCanceled === true) ids.push(Number(id));
  }
  return ids;
}

function actionAt(actions: RawAction[], path: number[]): RawAction | undefined {
  let list: RawAction[] | undefined = actions;
  let found: RawAction | undefined;
  for (const index of path) {
    found = list?.[index];
    list = found?.compoundActions;
  }
  return found;
}
