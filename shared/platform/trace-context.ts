/**
 * W3C trace context of the running invocation, so everything one verification or order does
 * (HTTP request, blob trigger, Service Bus hops, orchestration activities) shares one operation id
 * in Application Insights. The Functions host hands each invocation `context.traceContext`; a
 * `preInvocation` hook (functions/setup.ts) runs the handler inside it, and producers copy it into
 * what they send (Service Bus application properties, blob metadata). Node's AsyncLocalStorage
 * carries it, so nothing here loads the telemetry SDK (cold start).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes } from 'node:crypto';

const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

export interface TraceParent {
  traceId: string;
  /** The span this context stands for (the parent of anything started under it). */
  spanId: string;
  /** Two hex digits; `01` = sampled. */
  flags: string;
}

/** The parsed header, or undefined for anything malformed or all-zero (the spec's invalid ids). */
export function parseTraceparent(value: string | undefined | null): TraceParent | undefined {
  const m = value ? TRACEPARENT.exec(value.trim().toLowerCase()) : null;
  if (!m || m[1] === 'ff' || /^0+$/.test(m[2] ?? '') || /^0+$/.test(m[3] ?? '')) return undefined;
  return { traceId: m[2] ?? '', spanId: m[3] ?? '', flags: m[4] ?? '01' };
}

export const formatTraceparent = (t: TraceParent): string => `00-${t.traceId}-${t.spanId}-${t.flags}`;

const newSpanId = () => randomBytes(8).toString('hex');

/** A child of `parent` (same trace, new span), or a new sampled root without one. */
export function childTraceparent(parent?: string): string {
  const p = parseTraceparent(parent);
  return formatTraceparent(p ? { ...p, spanId: newSpanId() } : { traceId: randomBytes(16).toString('hex'), spanId: newSpanId(), flags: '01' });
}

const current = new AsyncLocalStorage<string>();

/** The traceparent of the running invocation, if any. */
export const currentTraceparent = (): string | undefined => current.getStore();

/** Runs `fn` (and everything it awaits) inside `traceparent`; a malformed value leaves the current one. */
export function runInTrace<T>(traceparent: string | undefined, fn: () => T): T {
  return parseTraceparent(traceparent) ? current.run(traceparent as string, fn) : fn();
}

/**
 * Application properties that carry the running trace on a Service Bus message: `traceparent`
 * (W3C, read by our handlers and the local runtime) and `Diagnostic-Id` (what the Service Bus
 * SDK and the Functions host's Service Bus extension read to parent the receiving invocation).
 */
export function messageTraceProperties(): Record<string, string> {
  const parent = currentTraceparent();
  if (!parent) return {};
  const child = childTraceparent(parent);
  return { traceparent: child, 'Diagnostic-Id': child };
}
