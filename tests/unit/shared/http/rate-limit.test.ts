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

  it('should admit exactly `limit` of a concurrent burst, shedding none below it (atomic increments)', async () => {
    const clock = new ManualClock(new Date('2026-01-01T00:00:00Z'));
    const container = await cosmos.container('rl');
    // Two limiter instances stand for two function instances sharing the container.
    const a = new CosmosFixedWindowRateLimiter(container, { limit: 25, windowS: 60 }, clock);
    const b = new CosmosFixedWindowRateLimiter(container, { limit: 25, windowS: 60 }, clock);
    const results = await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 ? a : b).consume('acme', 's')));
    assert.equal(results.filter((r) => r.allowed).length, 25);
    const { resource } = await container.item(`s:${clock.now().getTime()}`, 'acme').read<{ count: number }>();
    assert.equal(resource?.count, 40);
  });
});
