import { STATUS_CODES } from 'node:http';
import type { HttpResponseInit } from '@azure/functions';
import { DomainError, ensureError, problemType } from '../errors';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** RFC 9457 problem document, plus our `correlationId` and a DomainError's client-safe details. */
export interface ProblemDocument {
  /** `urn:vouch:problem:<code>`; stable, clients switch on it. */
  type: string;
  title: string;
  status: number;
  detail: string;
  /** Path of the request that failed (no query string: it may carry secrets). */
  instance?: string;
  correlationId: string;
  [extension: string]: unknown;
}

/** A DomainError that also sets response headers (Retry-After, WWW-Authenticate). */
export class HttpDomainError extends DomainError {
  constructor(
    code: string,
    message: string,
    status: number,
    readonly headers: Record<string, string>,
    details: Record<string, unknown> = {},
  ) {
    super(code, message, status, details);
  }
}

const GENERIC_DETAIL = 'An unexpected error occurred; quote the correlation id when reporting it.';
const RESERVED = new Set(['type', 'title', 'status', 'detail', 'instance', 'correlationId']);

export interface ProblemContext {
  correlationId: string;
  instance?: string;
}

/**
 * Maps anything thrown to a problem. A DomainError keeps its code and status;
 * its message is shown only when `expose` is true. Anything else is a 500 `internal`.
 */
export function toProblem(thrown: unknown, ctx: ProblemContext): ProblemDocument {
  const error = ensureError(thrown);
  const domain = error instanceof DomainError ? error : undefined;
  const status = domain ? domain.status : 500;
  const extensions = domain ? Object.entries(domain.details).filter(([k]) => !RESERVED.has(k)) : [];
  return {
    type: problemType(domain ? domain.code : 'internal'),
    title: STATUS_CODES[status] ?? 'Error',
    status,
    detail: domain?.expose ? domain.message : GENERIC_DETAIL,
    ...(ctx.instance ? { instance: ctx.instance } : {}),
    correlationId: ctx.correlationId,
    ...Object.fromEntries(extensions),
  };
}

/** Whether the error is ours to log as a failure (5xx or not a DomainError). */
export function isServerFault(thrown: unknown): boolean {
  return !(thrown instanceof DomainError) || thrown.status >= 500;
}

export function problemResponse(thrown: unknown, ctx: ProblemContext): HttpResponseInit {
  const problem = toProblem(thrown, ctx);
  const headers: Record<string, string> = { 'content-type': PROBLEM_CONTENT_TYPE };
  if (thrown instanceof HttpDomainError) Object.assign(headers, thrown.headers);
  // Any domain error that knows when to come back (back-pressure, in-progress idempotency) says so in the header too.
  const retryAfter = (problem as { retryAfterSeconds?: unknown }).retryAfterSeconds;
  if (typeof retryAfter === 'number' && !headers['retry-after']) headers['retry-after'] = String(Math.ceil(retryAfter));
  if (problem.status === 401 && !headers['www-authenticate']) headers['www-authenticate'] = 'Bearer realm="vouch"';
  return { status: problem.status, headers, body: JSON.stringify(problem) };
}
