/**
 * The invocation hooks that put every handler inside its trace (see `trace-context.ts`) and, in
 * local mode, record the request item the Functions host records on Azure. Registered by
 * functions/setup.ts; plain functions of the hook contexts so tests can drive them.
 */
import type { InvocationContext, PostInvocationContext, PreInvocationContext } from '@azure/functions';
import { telemetry } from './telemetry';
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
  hook.functionHandler = (trigger, context) => runInTrace(traceparent, () => handler(trigger, context));
}

/** Local mode: the request item of the invocation, under its trace (on Azure the host writes it). */
export function recordLocalInvocation(hook: PostInvocationContext): void {
  if (process.env.VOUCH_MODE !== 'local' || !process.env.APPLICATIONINSIGHTS_CONNECTION_STRING) return;
  const started = hook.hookData[START_KEY];
  const traceparent = hook.hookData[TRACE_KEY];
  if (typeof started !== 'number' || typeof traceparent !== 'string') return;
  const status = (hook.result as { status?: unknown } | undefined)?.status;
  const resultCode = typeof status === 'number' ? status : undefined;
  runInTrace(traceparent, () =>
    telemetry().request({
      functionName: hook.invocationContext.functionName,
      durationMs: Math.round(performance.now() - started),
      success: hook.error === undefined || hook.error === null ? resultCode === undefined || resultCode < 500 : false,
      ...(resultCode === undefined ? {} : { resultCode }),
    }),
  );
}
