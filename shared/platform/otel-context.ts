/**
 * The running invocation's trace as the active OpenTelemetry context. Two readers need it there:
 * the durable-functions client, which copies the active span's `traceparent` into the request that
 * starts an orchestration (`DurableClient.startNew` → the host's Durable extension, or the local
 * runtime, parents the orchestration to the invocation that started it), and the telemetry SDK,
 * which stamps each item with the active trace. `@opentelemetry/api` is already loaded by
 * durable-functions; the context manager is registered on the first invocation, not at import.
 */
import * as api from '@opentelemetry/api';
import { formatTraceparent, parseTraceparent } from './trace-context';

/**
 * W3C `traceparent` only: what the durable client and the local runtime read. Written here rather
 * than loading `@opentelemetry/core` (about 55 ms) on the first invocation for one header.
 */
const traceparentPropagator: api.TextMapPropagator = {
  inject(context, carrier, setter) {
    const span = api.trace.getSpanContext(context);
    if (!span || !api.isSpanContextValid(span)) return;
    const flags = (span.traceFlags & 0xff).toString(16).padStart(2, '0');
    setter.set(carrier, 'traceparent', formatTraceparent({ traceId: span.traceId, spanId: span.spanId, flags }));
  },
  extract(context, carrier, getter) {
    const header = getter.get(carrier, 'traceparent');
    const parent = parseTraceparent(Array.isArray(header) ? header[0] : header);
    if (!parent) return context;
    return api.trace.setSpanContext(context, { traceId: parent.traceId, spanId: parent.spanId, traceFlags: Number.parseInt(parent.flags, 16), isRemote: true });
  },
  fields: () => ['traceparent'],
};

let registered = false;

/** Registers an AsyncLocalStorage context manager and the propagator once (the host's worker registers neither). */
export function ensureOtelContext(): typeof api {
  if (!registered) {
    registered = true;
    const { AsyncLocalStorageContextManager } = require('@opentelemetry/context-async-hooks') as typeof import('@opentelemetry/context-async-hooks');
    api.context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    api.propagation.setGlobalPropagator(traceparentPropagator);
  }
  return api;
}

/** Runs `fn` with `traceparent` as the active (remote) span context; a malformed value runs it as is. */
export function runInOtelTrace<T>(traceparent: string | undefined, fn: () => T): T {
  const parent = parseTraceparent(traceparent);
  if (!parent) return fn();
  const otel = ensureOtelContext();
  const ctx = otel.trace.setSpanContext(otel.ROOT_CONTEXT, {
    traceId: parent.traceId,
    spanId: parent.spanId,
    traceFlags: Number.parseInt(parent.flags, 16),
    isRemote: true,
  });
  return otel.context.with(ctx, fn);
}
