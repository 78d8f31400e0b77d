/** The payer gateway's ports as the HTTP functions use them: the link-token key and the two limiters. */
import { config } from '../config';
import { CosmosFixedWindowRateLimiter, type RateLimiter } from '../http';
import { COSMOS_CONTAINERS } from '../names';
import type { PayerLimiters } from '../orders/payer/payer-rate-limit';
import { payerTokenFor, payerTokenHash } from '../orders/payer/payer-token';
import { cosmosContainer } from '../platform/cosmos';
import { SETTINGS, settingsStore } from './settings';

/** A limiter whose policy is re-read from the `rate-limits` settings on every call (changes apply without restart). */
const limiter = (field: 'payerPerToken' | 'payerPerSource'): RateLimiter => ({
  async consume(partition, scope) {
    const [container, store] = await Promise.all([cosmosContainer(COSMOS_CONTAINERS.rateLimits), settingsStore()]);
    const limits = await store.get(SETTINGS.rateLimits);
    return new CosmosFixedWindowRateLimiter(container, { limit: limits[field], windowS: limits.windowS }).consume(partition, scope);
  },
});

export const payerLimiters = (): PayerLimiters => ({ perToken: limiter('payerPerToken'), perSource: limiter('payerPerSource'), pepper: config().API_KEY_PEPPER });

/**
 * The link of a pay-in: the token (keyed with `API_KEY_PEPPER`, domain-separated from every other
 * use of it) and its hash for the order. Rotating the pepper invalidates open links.
 */
export function payerLink(tenantId: string, orderId: string): { token: string; hash: string } {
  const token = payerTokenFor(config().API_KEY_PEPPER, { tenantId, orderId });
  return { token, hash: payerTokenHash(token) };
}
