import { DomainError } from '../errors';

export { hasStatus, isConflict, isNotFound, isPreconditionFailed } from '../platform/cosmos-status';

/** Thrown when optimistic-concurrency retries run out; the platform's retry (queue, activity) tries again later. */
export const concurrencyExhausted = (what: string) =>
  new DomainError('concurrency-conflict', `Too much contention on ${what}; try again`, 503, {}, true);
