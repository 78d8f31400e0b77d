import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DomainError } from '../../../../../shared/errors';
import type { RateLimiter } from '../../../../../shared/http';
import { admitPayerRequest } from '../../../../../shared/orders/payer/payer-rate-limit';

/** A fixed-window limiter held in memory: the same contract as the Cosmos one, one window. */
function memoryLimiter(limit: number): RateLimiter & { keys: string[] } {
  const counts = new Map<string, number>();
  return {
    keys: [],
    async consume(partition, scope) {
      const key = `${partition}|${scope}`;
      this.keys.push(key);
      const n = (counts.get(key) ?? 0) + 1;
      counts.set(key, n);
      return n > limit ? { allowed: false, retryAfterS: 30 } : { allowed: true, remaining: limit - n };
    },
  };
}

const refusal = async (p: Promise<unknown>) => {
  try {
    await p;
    return undefined;
  } catch (e) {
    return e instanceof DomainError ? `${e.status} ${e.code}` : 'other';
  }
};

describe('payer gateway rate limits', () => {
  it('should refuse one link past its limit while other links go on', async () => {
    const limiters = { perToken: memoryLimiter(2), perSource: memoryLimiter(100), pepper: 'a-pepper-of-at-least-16' };
    await admitPayerRequest(limiters, 'token-1', undefined);
    await admitPayerRequest(limiters, 'token-1', undefined);
    assert.equal(await refusal(admitPayerRequest(limiters, 'token-1', undefined)), '429 rate-limited');
    assert.equal(await refusal(admitPayerRequest(limiters, 'token-2', undefined)), undefined);
    assert.equal(limiters.perSource.keys.length, 0, 'no source, no per-source count');
  });

  it('should refuse one source walking through many tokens, counting only hashes', async () => {
    const limiters = { perToken: memoryLimiter(100), perSource: memoryLimiter(3), pepper: 'a-pepper-of-at-least-16' };
    for (const t of ['g1', 'g2', 'g3']) await admitPayerRequest(limiters, t, '203.0.113.7');
    assert.equal(await refusal(admitPayerRequest(limiters, 'g4', '203.0.113.7')), '429 rate-limited');
    assert.equal(await refusal(admitPayerRequest(limiters, 'g4', '198.51.100.1')), undefined);
    const counted = [...limiters.perToken.keys, ...limiters.perSource.keys].join(' ');
    assert.doesNotMatch(counted, /203\.0\.113\.7|g1|g4/);
  });
});
