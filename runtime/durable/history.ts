/**
 * Plain-object history events in the shape the durable-functions SDK replays
 * (PascalCase fields, as the Durable Task extension sends them). The SDK's own
 * event classes are not exported, and plain objects replay identically.
 */

/** `HistoryEventType` numbers the SDK switches on. */
export const EventType = {
  ExecutionStarted: 0,
  ExecutionCompleted: 1,
  ExecutionFailed: 2,
  ExecutionTerminated: 3,
  TaskScheduled: 4,
  TaskCompleted: 5,
  TaskFailed: 6,
  SubOrchestrationInstanceCreated: 7,
  SubOrchestrationInstanceCompleted: 8,
  SubOrchestrationInstanceFailed: 9,
  TimerCreated: 10,
  TimerFired: 11,
  OrchestratorStarted: 12,
  OrchestratorCompleted: 13,
  EventRaised: 15,
  ContinueAsNew: 16,
  ExecutionSuspended: 19,
  ExecutionResumed: 20,
} as const;

export interface HistoryEvent {
  EventType: number;
  EventId: number;
  IsPlayed: boolean;
  Timestamp: string;
  [field: string]: unknown;
}

/** FailureDetails as the extension serialises them; the SDK turns them into a TaskFailedError. */
export interface FailureDetails {
  ErrorType: string;
  ErrorMessage: string;
  StackTrace?: string;
  IsNonRetriable: boolean;
  InnerFailure?: FailureDetails;
  Properties?: Record<string, unknown>;
}

function event(type: number, at: Date, fields: Record<string, unknown>, eventId = -1): HistoryEvent {
  return { EventType: type, EventId: eventId, IsPlayed: false, Timestamp: at.toISOString(), ...fields };
}

/** JSON text of a value; `undefined` becomes `"null"` because the SDK JSON.parses results unconditionally. */
export function toJsonText(value: unknown): string {
  return value === undefined ? 'null' : JSON.stringify(value);
}

export const history = {
  orchestratorStarted: (at: Date) => event(EventType.OrchestratorStarted, at, {}),
  orchestratorCompleted: (at: Date) => event(EventType.OrchestratorCompleted, at, {}),
  executionStarted: (at: Date, name: string, inputJson: string | undefined, parentInstanceId?: string) =>
    event(EventType.ExecutionStarted, at, {
      Name: name,
      Input: inputJson,
      Version: '',
      ...(parentInstanceId ? { ParentInstance: { OrchestrationInstance: { InstanceId: parentInstanceId } } } : {}),
    }),
  executionCompleted: (at: Date, resultJson: string) =>
    event(EventType.ExecutionCompleted, at, { OrchestrationStatus: 'Completed', Result: resultJson }),
  executionFailed: (at: Date, reason: string) =>
    event(EventType.ExecutionFailed, at, { OrchestrationStatus: 'Failed', Reason: reason }),
  executionTerminated: (at: Date, reason: string) => event(EventType.ExecutionTerminated, at, { Input: JSON.stringify(reason) }),
  executionSuspended: (at: Date, reason: string) => event(EventType.ExecutionSuspended, at, { Reason: reason }),
  executionResumed: (at: Date, reason: string) => event(EventType.ExecutionResumed, at, { Reason: reason }),
  taskScheduled: (at: Date, id: number, name: string, inputJson: string) =>
    event(EventType.TaskScheduled, at, { Name: name, Input: inputJson }, id),
  taskCompleted: (at: Date, taskId: number, resultJson: string) =>
    event(EventType.TaskCompleted, at, { TaskScheduledId: taskId, Result: resultJson }),
  taskFailed: (at: Date, taskId: number, failure: FailureDetails) =>
    event(EventType.TaskFailed, at, {
      TaskScheduledId: taskId,
      Reason: failure.ErrorMessage,
      Details: failure.StackTrace ?? '',
      FailureDetails: failure,
    }),
  subOrchestrationCreated: (at: Date, id: number, name: string, instanceId: string, inputJson: string) =>
    event(EventType.SubOrchestrationInstanceCreated, at, { Name: name, InstanceId: instanceId, Input: inputJson }, id),
  subOrchestrationCompleted: (at: Date, taskId: number, resultJson: string) =>
    event(EventType.SubOrchestrationInstanceCompleted, at, { TaskScheduledId: taskId, Result: resultJson }),
  subOrchestrationFailed: (at: Date, taskId: number, failure: FailureDetails) =>
    event(EventType.SubOrchestrationInstanceFailed, at, {
      TaskScheduledId: taskId,
      Reason: failure.ErrorMessage,
      Details: failure.StackTrace ?? '',
      FailureDetails: failure,
    }),
  timerCreated: (at: Date, id: number, fireAt: Date) => event(EventType.TimerCreated, at, { FireAt: fireAt.toISOString() }, id),
  timerFired: (at: Date, timerId: number, fireAt: Date) =>
    event(EventType.TimerFired, at, { TimerId: timerId, FireAt: fireAt.toISOString() }),
  eventRaised: (at: Date, name: string, inputJson: string | undefined) =>
    event(EventType.EventRaised, at, inputJson === undefined ? { Name: name } : { Name: name, Input: inputJson }),
};

/** FailureDetails for an error thrown by an activity (or any JS value thrown as one). */
export function failureFromError(error: unknown): FailureDetails {
  if (error instanceof Error) {
    return { ErrorType: error.name, ErrorMessage: error.message, StackTrace: error.stack, IsNonRetriable: false };
  }
  return { ErrorType: 'Error', ErrorMessage: String(error), IsNonRetriable: false };
}

/** The id of the task an event completes, for completion events; `undefined` for all others. */
export function completedTaskId(e: HistoryEvent): number | undefined {
  const id = e.EventType === EventType.TimerFired ? e['TimerId'] : e['TaskScheduledId'];
  return typeof id === 'number' ? id : undefined;
}
