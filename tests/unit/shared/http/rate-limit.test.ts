import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CosmosFixedWindowRateLimiter } from '../../../../shared/http/rate-limit';
import { ManualClock } from '../../../../shared/platform/clock';
import { type CosmosFixture, openCosmos } from './cosmos-fixture';

describe('CosmosFixedWindowRateLimiter', () => {
  let cosmos: CosmosFixture;
  before(async () => {
    cosmos = await openCosmos();
  });
  after(() => cosmos.close());

  it('should allow `limit` requests per window and reset in the next one', async () => {
    const clock = new ManualClock(new Date('2026-01-01T00:00:00Z'));
    const limiter = new CosmosFixedWindowRateLimiter(await cosmos.container('rl'), { limit: 3, windowS: 10 }, clock);
    const first = [];
    for (let i = 0; i < 4; i++) first.push(await limiter.consume('acme', 'createOrder'));
    assert.deepEqual(first, [
      { allowed: true, remaining: 2 },
      { allowed: true, remaining: 1 },
      { allowed: true, remaining: 0 },
      { allowed: false, retryAfterS: 10 },
    ]);
    clock.advance(10_000);
    assert.deepEqual(await limiter.consume('acme', 'createOrder'), { allowed: true, remaining: 2 });
  });

  it('should count tenants and scopes separately', async () => {
    const limiter = new CosmosFixedWindowRateLimiter(await cosmos.container('rl'), { limit: 1, windowS: 60 });
    assert.equal((await limiter.consume('acme', 'a')).allowed, true);
    assert.equal((await limiter.consume('acme', 'a')).allowed, false);
    assert.equal((await limiter.consume('acme', 'b')).allowed, true);
    assert.equal((await limiter.consume('globex', 'a')).allowed, true);
  });

  it('should not lose counts under concurrent consumers (ETag conditions)', async () => {
    const clock = new ManualClock(new Date('2026-01-01T00:00:00Z'));
    const container = await cosmos.container('rl');
    // Two limiter instances stand for two function instances sharing the container.
    const a = new CosmosFixedWindowRateLimiter(container, { limit: 5, windowS: 60 }, clock);
    const b = new CosmosFixedWindowRateLimiter(container, { limit: 5, windowS: 60 }, clock);
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => (i % 2 ? a : b).consume('acme', 's')));
    const allowed = results.filter((r) => r.allowed).length;
    // Contention may shed some requests, but never admits more than the limit.
    assert.ok(allowed <= 5, `allowed ${allowed}`);
    const { resource } = await container.item('s', 'acme').read<{ count: number }>();
    assert.equal(resource?.count, allowed);
  });
});
