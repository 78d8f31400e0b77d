import type { Container } from '@azure/cosmos';
import { isConflict, isPreconditionFailed } from '../platform/cosmos-status';
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
  id: string;
  tenantId: string;
  windowStart: number;
  count: number;
  /** Cosmos TTL (s): old windows vanish on Azure (the local server keeps them; they are tiny). */
  ttl: number;
}

const MAX_CONFLICT_RETRIES = 8;

/**
 * Fixed-window counter, one document per tenant and scope, updated with an ETag
 * condition so concurrent instances never lose a count (on 412 it re-reads and retries).
 * Costs one read and one write per request; a window allows up to `limit` requests.
 */
export class CosmosFixedWindowRateLimiter implements RateLimiter {
  constructor(
    private readonly container: Container,
    private readonly policy: FixedWindowPolicy,
    private readonly clock: Clock = systemClock,
  ) {}

  async consume(tenantId: string, scope: string): Promise<RateLimitDecision> {
    for (let i = 0; i < MAX_CONFLICT_RETRIES; i++) {
      const decision = await this.tryConsume(tenantId, scope);
      if (decision) return decision;
    }
    // Heavy contention on one tenant's window: shed the request rather than spin.
    return { allowed: false, retryAfterS: 1 };
  }

  /** One optimistic round; undefined when another writer got there first. */
  private async tryConsume(tenantId: string, scope: string): Promise<RateLimitDecision | undefined> {
    const nowMs = this.clock.now().getTime();
    const windowMs = this.policy.windowS * 1000;
    const windowStart = Math.floor(nowMs / windowMs) * windowMs;
    const retryAfterS = Math.max(1, Math.ceil((windowStart + windowMs - nowMs) / 1000));
    const id = scope;
    const { resource, etag } = await this.container.item(id, tenantId).read<WindowDoc>();
    const current = resource && resource.windowStart === windowStart ? resource.count : 0;
    if (current >= this.policy.limit) return { allowed: false, retryAfterS };
    const next: WindowDoc = { id, tenantId, windowStart, count: current + 1, ttl: this.policy.windowS * 2 };
    try {
      if (resource && etag) {
        await this.container.item(id, tenantId).replace(next, { accessCondition: { type: 'IfMatch', condition: etag } });
      } else {
        await this.container.items.create(next);
      }
    } catch (e) {
      if (isPreconditionFailed(e) || isConflict(e)) return undefined;
      throw e;
    }
    return { allowed: true, remaining: this.policy.limit - next.count };
  }
}
