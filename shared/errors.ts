/**
 * One error taxonomy for the whole app. A `DomainError` carries a stable `code`
 * (which becomes the problem document's `type`), the HTTP status it maps to, and
 * `expose`: whether its message is safe to show a client.
 */
export class DomainError extends Error {
  constructor(
    /** Stable, kebab-case code; never change one that has shipped. */
    readonly code: string,
    message: string,
    /** HTTP status when this error ends an HTTP request. */
    readonly status = 400,
    /** Extra client-safe members for the problem document (e.g. `errors`, `currentStatus`). */
    readonly details: Record<string, unknown> = {},
    /** False for internal errors: the client sees a generic message. */
    readonly expose = true,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

/** Base of every problem `type` URI: `urn:vouch:problem:<code>`. */
export const PROBLEM_TYPE_PREFIX = 'urn:vouch:problem:';

export const problemType = (code: string): string => PROBLEM_TYPE_PREFIX + code;

export const badRequest = (message: string, details?: Record<string, unknown>) =>
  new DomainError('bad-request', message, 400, details);
export const unauthorized = (message = 'Missing or invalid credentials') =>
  new DomainError('unauthorized', message, 401);
export const forbidden = (message = 'Not allowed for this principal') =>
  new DomainError('forbidden', message, 403);
export const notFound = (what: string) => new DomainError('not-found', `${what} not found`, 404);
export const conflict = (code: string, message: string, details?: Record<string, unknown>) =>
  new DomainError(code, message, 409, details);

/** Turns anything thrown into an Error, so `catch (e: unknown)` code has one shape to handle. */
export function ensureError(value: unknown): Error {
  if (value instanceof Error) return value;
  return new Error(typeof value === 'string' ? value : JSON.stringify(value));
}
