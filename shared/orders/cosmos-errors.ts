/** Small predicates over `@azure/cosmos` errors (they carry the HTTP status in `code`). */
import { DomainError } from '../errors';

export function hasStatus(error: unknown, status: number): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === status;
}

export const isConflict = (error: unknown) => hasStatus(error, 409);
export const isPreconditionFailed = (error: unknown) => hasStatus(error, 412);
export const isNotFound = (error: unknown) => hasStatus(error, 404);

/** Thrown when optimistic-concurrency retries run out; the platform's retry (queue, activity) tries again later. */
export const concurrencyExhausted = (what: string) =>
  new DomainError('concurrency-conflict', `Too much contention on ${what}; try again`, 503, {}, true);
