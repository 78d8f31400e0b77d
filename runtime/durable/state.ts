/**
 * Persisted shape of an orchestration instance and the engine's bookkeeping
 * for its current execution (which sequence number means which task).
 */

export type RuntimeStatus = 'Pending' | 'Running' | 'Completed' | 'ContinuedAsNew' | 'Failed' | 'Terminated' | 'Suspended';

export const terminalStatuses: readonly RuntimeStatus[] = ['Completed', 'Failed', 'Terminated'];

export function isTerminal(status: RuntimeStatus): boolean {
  return terminalStatuses.includes(status);
}

/** The SDK's RetryOptions as it serialises them into a `...WithRetry` action. */
export interface RetryPolicy {
  firstRetryIntervalInMilliseconds: number;
  maxNumberOfAttempts: number;
  backoffCoefficient?: number;
  maxRetryIntervalInMilliseconds?: number;
  retryTimeoutInMilliseconds?: number;
}

/** Work an open task stands for; activities and sub-orchestrations carry what is needed to (re)run them. */
export type OpenTask =
  | { kind: 'activity'; name: string; input: unknown; retryGroup?: number }
  | { kind: 'subOrchestration'; name: string; input: unknown; instanceId: string; retryGroup?: number }
  /** `path` locates the CreateTimer action (for `isCanceled`); `finalFireAt` is set for split long timers. */
  | { kind: 'timer'; fireAt: string; path: number[]; finalFireAt?: string }
  | { kind: 'retryTimer'; fireAt: string; retryGroup: number };

/** Host-side state of one `callActivityWithRetry`/`callSubOrchestratorWithRetry`, keyed by its first task id. */
export interface RetryGroup {
  kind: 'activity' | 'subOrchestration';
  name: string;
  input: unknown;
  /** Explicit sub-orchestration instance id, when the orchestrator gave one. */
  instanceId?: string;
  policy: RetryPolicy;
  /** Mirrors the SDK's `RetryableTask.attemptNumber`. */
  attempt: number;
  firstScheduledAt: string;
}

export interface ExecutionState {
  /** Next sequence number the SDK will hand out. */
  nextSeq: number;
  /** Number of actions (from the start of the execution) already turned into work. */
  actionCursor: number;
  /** Type and name of each of those actions, to detect a non-deterministic replay. */
  actionSignatures?: string[];
  /** Tasks awaiting a completion event, by sequence number. */
  tasks: Record<string, OpenTask>;
  retries: Record<string, RetryGroup>;
  /** Timestamp of the last episode; episodes never go back in time. */
  lastEpisodeAt?: string;
}

export interface ParentLink {
  instanceId: string;
  executionId: string;
  taskId: number;
}

export interface InstanceRecord {
  instanceId: string;
  name: string;
  /** Bumped by continueAsNew and by restarting a finished instance id. */
  generation: number;
  executionId: string;
  status: RuntimeStatus;
  /** JSON text of the current execution's input (absent = no input). */
  input?: string;
  /** JSON text of the output (result, failure message or termination reason). */
  output?: string;
  customStatus?: string;
  createdTime: string;
  lastUpdatedTime: string;
  parent?: ParentLink;
  /**
   * W3C `traceparent` of the orchestration's span, a child of its starter's (the start request's
   * `traceparent` header, a parent orchestration's span) or a new root: every episode and activity
   * runs in it, as the Durable extension's distributed tracing parents them on Azure.
   */
  traceParent?: string;
  /** History rows (episodes) committed for the current execution. */
  episodes: number;
  /** Ids of the last work items applied, so a redelivered item is dropped. */
  appliedItems: string[];
  /** Events that arrived while suspended are left queued; this records why the instance is paused. */
  exec: ExecutionState;
}

export function newExecutionState(): ExecutionState {
  return { nextSeq: 0, actionCursor: 0, tasks: {}, retries: {} };
}

export function executionIdFor(generation: number): string {
  return `e${String(generation).padStart(6, '0')}`;
}
