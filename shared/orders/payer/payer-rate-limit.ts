/**
 * The payer gateway is public, so it is limited twice before the token is even looked up: per
 * link (one payer's page cannot hammer its order) and per source (one client cannot walk through
 * guessed tokens; a guess costs a request whether it matches or not). The token and the IP reach
 * the counters only as hashes.
 */
import { hashIp } from '../../audit/audit-hash';
import { rateLimited, type RateLimiter } from '../../http/rate-limit';
import { payerTokenHash } from './payer-token';

export interface PayerLimiters {
  perToken: RateLimiter;
  perSource: RateLimiter;
  /** Key of the source hashes (`API_KEY_PEPPER`). */
  pepper: string;
}

export async function admitPayerRequest(limiters: PayerLimiters, token: string, ip: string | undefined): Promise<void> {
  const checks = [limiters.perToken.consume(`payer:${payerTokenHash(token).slice(0, 32)}`, 'payer-link')];
  if (ip !== undefined) checks.push(limiters.perSource.consume(`source:${hashIp(ip, limiters.pepper)}`, 'payer-requests'));
  for (const decision of await Promise.all(checks)) if (!decision.allowed) throw rateLimited(decision.retryAfterS);
}
