import { randomUUID } from 'node:crypto';
import type { HttpRequest, InvocationContext } from '@azure/functions';

export const CORRELATION_HEADER = 'x-correlation-id';

// Echoed into logs and headers, so only a safe, bounded alphabet is accepted from clients.
const SAFE_ID = /^[A-Za-z0-9._:-]{1,128}$/;
const TRACEPARENT = /^[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$/;

/** `x-correlation-id` if it is safe, else the trace id of `traceparent`, else a new UUID. */
export function correlationIdFrom(request: HttpRequest, context?: InvocationContext): string {
  const given = request.headers.get(CORRELATION_HEADER)?.trim();
  if (given && SAFE_ID.test(given)) return given;
  const traceparent = request.headers.get('traceparent') ?? context?.traceContext?.traceParent ?? undefined;
  const traceId = traceparent ? TRACEPARENT.exec(traceparent.trim().toLowerCase())?.[1] : undefined;
  if (traceId && !/^0+$/.test(traceId)) return traceId;
  return randomUUID();
}

const byContext = new WeakMap<InvocationContext, string>();

/** Remembers the id for this invocation, so hooks and shared code can log it. */
export function setCorrelationId(context: InvocationContext, id: string): void {
  byContext.set(context, id);
}

export function correlationIdOf(context: InvocationContext): string | undefined {
  return byContext.get(context);
}
