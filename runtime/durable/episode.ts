/**
 * Runs one orchestrator episode through the host's invoker: builds the trigger
 * value the durable-functions SDK expects and reads back its OrchestratorState,
 * including the state the SDK smuggles out in an OrchestrationFailureError.
 */
import type { Invoker } from '../types';
import type { HistoryEvent } from './history';
import type { RawAction } from './numbering';

/** The subset of the SDK's OrchestratorState the engine uses. */
export interface OrchestratorState {
  isDone: boolean;
  actions: RawAction[];
  output?: unknown;
  customStatus?: unknown;
  error?: string;
  failureDetails?: { errorType?: string; errorMessage?: string; stackTrace?: string };
}

export type EpisodeOutcome =
  | { kind: 'ok'; state: OrchestratorState }
  /** The orchestrator threw (or could not run): `state` is present when the SDK reported one. */
  | { kind: 'failed'; message: string; errorType: string; state?: OrchestratorState };

export interface EpisodeRequest {
  functionName: string;
  instanceId: string;
  parentInstanceId?: string;
  input: unknown;
  history: HistoryEvent[];
  maximumShortTimerDuration: string;
  longRunningTimerIntervalDuration: string;
  /** The orchestration's span (`InstanceRecord.traceParent`), the episode's `context.traceContext`. */
  traceParent?: string;
}

/** ReplaySchema.V3: compound actions as trees, SDK-side long-timer splitting. */
const upperSchemaVersion = 2;
const failureMarker = '$OutOfProcData$:';

export async function runEpisode(invoker: Invoker, request: EpisodeRequest): Promise<EpisodeOutcome> {
  const triggerValue = {
    // A deep copy: the SDK rewrites Timestamp strings to Dates in place.
    history: JSON.parse(JSON.stringify(request.history)) as HistoryEvent[],
    input: request.input,
    instanceId: request.instanceId,
    isReplaying: request.history.length > 2,
    parentInstanceId: request.parentInstanceId,
    upperSchemaVersion,
    maximumShortTimerDuration: request.maximumShortTimerDuration,
    longRunningTimerIntervalDuration: request.longRunningTimerIntervalDuration,
    defaultHttpAsyncRequestSleepTimeMillseconds: 30_000,
  };
  try {
    const trace = request.traceParent ? { traceParent: request.traceParent } : {};
    const result = await invoker.invoke({ functionName: request.functionName, triggerValue, correlationId: request.instanceId, ...trace });
    const state = toState(result.returnValue);
    if (!state) return { kind: 'failed', message: 'orchestrator returned no orchestration state', errorType: 'Error' };
    return { kind: 'ok', state };
  } catch (error) {
    return failureOf(error);
  }
}

function toState(value: unknown): OrchestratorState | undefined {
  const parsed: unknown = typeof value === 'string' ? safeParse(value) : value;
  if (typeof parsed !== 'object' || parsed === null || !('actions' in parsed)) return undefined;
  // Normalise class instances and Dates (direct invocation) to their JSON form (RPC invocation).
  const state = JSON.parse(JSON.stringify(parsed)) as OrchestratorState & { actions: unknown };
  // Schema V2+ puts every action into one group; V1 has one group per yield.
  const groups = Array.isArray(state.actions) ? (state.actions as unknown[]) : [];
  state.actions = groups.flatMap((group) => (Array.isArray(group) ? (group as RawAction[]) : []));
  return state;
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function failureOf(error: unknown): EpisodeOutcome {
  const message = error instanceof Error ? error.message : String(error);
  const at = message.indexOf(failureMarker);
  const state = at >= 0 ? toState(message.slice(at + failureMarker.length)) : undefined;
  if (state) {
    return {
      kind: 'failed', state,
      message: state.error ?? 'orchestrator failed',
      errorType: state.failureDetails?.errorType ?? 'Error',
    };
  }
  return { kind: 'failed', message, errorType: error instanceof Error ? error.name : 'Error' };
}
