import type { Container } from '@azure/cosmos';
import { isConflict, isNotFound } from '../platform/cosmos-status';
import { type Clock, systemClock } from '../platform/clock';
import { HttpDomainError } from './problem';

/** Cosmos container of rate-limit windows (partition `/tenantId`); not in shared/names.ts yet. */
export const RATE_LIMIT_CONTAINER = 'rate-limits';

export type RateLimitDecision =
  | { allowed: true; remaining: number }
  | { allowed: false; /** Whole seconds until the window resets. */ retryAfterS: number };

/** Counts requests per tenant and scope (usually the function name). */
export interface RateLimiter {
  consume(tenantId: string, scope: string): Promise<RateLimitDecision>;
}

export const rateLimited = (retryAfterS: number) =>
  new HttpDomainError('rate-limited', 'Too many requests; retry later', 429, { 'retry-after': String(retryAfterS) }, { retryAfterS });

export interface FixedWindowPolicy {
  /** Requests allowed per window. */
  limit: number;
  /** Window length in seconds. */
  windowS: number;
}

interface WindowDoc {
  /** `{scope}:{windowStart}`: one document per window, so a window never needs resetting. */
  id: string;
  tenantId: string;
  windowStart: number;
  count: number;
  /** Cosmos TTL (s): old windows vanish on Azure (the local server keeps them; they are tiny). */
  ttl: number;
}

/**
 * Fixed-window counter, one document per tenant, scope and window, counted with Cosmos's atomic
 * `incr` patch: concurrent requests never conflict (an ETag read-modify-write made a burst of one
 * tenant's requests fight over the document and shed them), and a request costs one round trip.
 */
export class CosmosFixedWindowRateLimiter implements RateLimiter {
  constructor(
    private readonly container: Container,
    private readonly policy: FixedWindowPolicy,
    private readonly clock: Clock = systemClock,
  ) {}

  async consume(tenantId: string, scope: string): Promise<RateLimitDecision> {
    const nowMs = this.clock.now().getTime();
    const windowMs = this.policy.windowS * 1000;
    const windowStart = Math.floor(nowMs / windowMs) * windowMs;
    const count = await this.increment({ id: `${scope}:${windowStart}`, tenantId, windowStart, count: 1, ttl: this.policy.windowS * 2 });
    if (count > this.policy.limit) return { allowed: false, retryAfterS: Math.max(1, Math.ceil((windowStart + windowMs - nowMs) / 1000)) };
    return { allowed: true, remaining: this.policy.limit - count };
  }

  /** The window's count after this request: patch if the window exists, else create it (a lost create race patches). */
  private async increment(first: WindowDoc): Promise<number> {
    const item = this.container.item(first.id, first.tenantId);
    try {
      const { resource } = await item.patch<WindowDoc>([{ op: 'incr', path: '/count', value: 1 }]);
      if (resource) return resource.count;
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
    try {
      await this.container.items.create(first);
      return first.count;
    } catch (e) {
      if (!isConflict(e)) throw e;
      const { resource } = await item.patch<WindowDoc>([{ op: 'incr', path: '/count', value: 1 }]);
      return resource?.count ?? Number.POSITIVE_INFINITY;
    }
  }
}
