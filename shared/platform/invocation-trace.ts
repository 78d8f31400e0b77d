/**
 * The invocation hooks that put every handler inside its trace (see `trace-context.ts`) and, in
 * local mode, record the request item the Functions host records on Azure. Registered by
 * functions/setup.ts; plain functions of the hook contexts so tests can drive them.
 */
import type { InvocationContext, LogHookContext, LogLevel, PostInvocationContext, PreInvocationContext } from '@azure/functions';
import { runInOtelTrace } from './otel-context';
import { telemetry, type TraceSeverity } from './telemetry';
import { childTraceparent, parseTraceparent, runInTrace } from './trace-context';

const TRACE_KEY = 'vouch.traceparent';
const START_KEY = 'vouch.startedAt';

/**
 * The invocation's trace: the host's `traceContext` (HTTP `traceparent`, Service Bus `Diagnostic-Id`),
 * else a `traceparent` the producer wrote into the message's application properties or the blob's
 * metadata, else a new root (an HTTP request without one starts the transaction).
 */
export function invocationTraceparent(context: InvocationContext): string {
  const fromHost = context.traceContext?.traceParent;
  if (parseTraceparent(fromHost)) return fromHost as string;
  const meta = context.triggerMetadata as { applicationProperties?: Record<string, unknown>; metadata?: Record<string, unknown> } | undefined;
  const carried = meta?.applicationProperties?.traceparent ?? meta?.metadata?.traceparent;
  if (typeof carried === 'string' && parseTraceparent(carried)) return childTraceparent(carried);
  return childTraceparent();
}

export function enterInvocationTrace(hook: PreInvocationContext): void {
  const traceparent = invocationTraceparent(hook.invocationContext);
  hook.hookData[TRACE_KEY] = traceparent;
  hook.hookData[START_KEY] = performance.now();
  const handler = hook.functionHandler;
  // Also the active OpenTelemetry context: the durable client copies it into orchestration starts.
  hook.functionHandler = (trigger, context) => runInTrace(traceparent, () => runInOtelTrace(traceparent, () => handler(trigger, context)));
}

/** Local telemetry goes out only in local mode with a connection string (on Azure the host records requests and logs). */
const recordsLocally = (): boolean => process.env.VOUCH_MODE === 'local' && Boolean(process.env.APPLICATIONINSIGHTS_CONNECTION_STRING);

/** The method of an HTTP trigger's request (the first input), else undefined. */
function httpMethodOf(inputs: readonly unknown[]): string | undefined {
  const request = inputs[0] as { method?: unknown; url?: unknown } | undefined;
  return typeof request?.method === 'string' && typeof request.url === 'string' ? request.method : undefined;
}

/** Local mode: the request item of the invocation, under its trace (on Azure the host writes it). */
export function recordLocalInvocation(hook: PostInvocationContext): void {
  if (!recordsLocally()) return;
  const started = hook.hookData[START_KEY];
  const traceparent = hook.hookData[TRACE_KEY];
  if (typeof started !== 'number' || typeof traceparent !== 'string') return;
  const status = (hook.result as { status?: unknown } | undefined)?.status;
  const httpMethod = httpMethodOf(hook.inputs);
  const resultCode = typeof status === 'number' ? status : httpMethod ? 200 : undefined;
  runInTrace(traceparent, () =>
    telemetry().request({
      functionName: hook.invocationContext.functionName,
      durationMs: Math.round(performance.now() - started),
      success: hook.error === undefined || hook.error === null ? resultCode === undefined || resultCode < 500 : false,
      ...(resultCode === undefined ? {} : { resultCode }),
      ...(httpMethod ? { httpMethod } : {}),
    }),
  );
}

const SEVERITY: Record<LogLevel, TraceSeverity | undefined> = {
  trace: 'Verbose', debug: 'Verbose', information: 'Information', warning: 'Warning', error: 'Error', critical: 'Critical', none: undefined,
};

/**
 * Local mode: an invocation's own log line (`context.log`) as a trace item under its operation id,
 * as the host records it on Azure. Log hooks run inside the invocation, so the trace is current.
 * Handlers log ids and codes only (the no-personal-data rule holds for logs too).
 */
export function recordLocalLog(hook: LogHookContext): void {
  if (hook.category !== 'user' || !recordsLocally()) return;
  const severity = SEVERITY[hook.level];
  if (severity) telemetry().trace(hook.message, severity);
}
