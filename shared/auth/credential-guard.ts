/**
 * Limits failed credential attempts per source, so nobody can probe keys or tokens at full speed,
 * and counts every signed-in user's request against the tenant's budget (API-key routes count theirs
 * per endpoint in the handler). A source is the caller's IP as the platform appended it, stored only
 * as a keyed hash. Failures are counted in the shared rate-limit store; once a source is over its
 * limit, this instance also remembers it and refuses it without a store round trip until the window
 * ends, and refuses it even with a valid credential (a guessed one must not get through).
 */
import type { HttpRequest } from '@azure/functions';
import { hashIp } from '../audit/audit-hash';
import { callerIp } from '../audit/caller-ip';
import { DomainError } from '../errors';
import { type RateLimiter, rateLimited } from '../http/rate-limit';
import type { Clock } from '../platform/clock';
import type { Authenticator } from './authenticate';

/** Partition (the limiter's "tenant") of a source's failure counter. */
const sourcePartition = (ipHash: string) => `source:${ipHash}`;
const FAILURE_SCOPE = 'failed-credentials';
/** Scope of signed-in users' requests in the tenant's budget. */
export const USER_REQUESTS_SCOPE = 'user-requests';
/** Bounds this instance's memory of blocked sources; past it the memory is dropped (the store still counts). */
const MAX_REMEMBERED = 10_000;

export interface CredentialGuardOptions {
  /** Counts failures per source (its policy is the failure limit per window). */
  failures: RateLimiter;
  /** Counts signed-in users' requests per tenant. */
  users: RateLimiter;
  /** `API_KEY_PEPPER`: key of the source hashes. */
  pepper: string;
  clock: Clock;
}

export function guardCredentials(authenticate: Authenticator, options: CredentialGuardOptions): Authenticator {
  const blockedUntil = new Map<string, number>();
  return async (request: HttpRequest) => {
    const ip = callerIp(request.headers);
    const source = ip === undefined ? undefined : sourcePartition(hashIp(ip, options.pepper));
    const now = options.clock.now().getTime();
    const until = source === undefined ? undefined : blockedUntil.get(source);
    if (until !== undefined && until > now) throw rateLimited(Math.max(1, Math.ceil((until - now) / 1000)));

    let principal;
    try {
      principal = await authenticate(request);
    } catch (error) {
      if (source !== undefined && error instanceof DomainError && error.status === 401) {
        const decision = await options.failures.consume(source, FAILURE_SCOPE);
        if (!decision.allowed) {
          if (blockedUntil.size >= MAX_REMEMBERED) blockedUntil.clear();
          blockedUntil.set(source, now + decision.retryAfterS * 1000);
          throw rateLimited(decision.retryAfterS);
        }
      }
      throw error;
    }
    if (principal.kind === 'user') {
      const decision = await options.users.consume(principal.tenantId, USER_REQUESTS_SCOPE);
      if (!decision.allowed) throw rateLimited(decision.retryAfterS);
    }
    return principal;
  };
}
