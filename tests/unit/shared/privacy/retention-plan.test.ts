import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_TIMER_MS, nextWakeUp, retentionInputSchema, retentionInstanceId } from '../../../../shared/privacy/retention-plan';

const DAY_MS = 86_400_000;
const now = new Date('2026-11-23T12:00:00.000Z');

describe('nextWakeUp', () => {
  it('it should be undefined once the deadline has passed or is now', () => {
    assert.equal(nextWakeUp(now, new Date(now.getTime() - 1)), undefined);
    assert.equal(nextWakeUp(now, now), undefined);
  });

  it('it should be the deadline itself when it is at most 6 days away', () => {
    const deadline = new Date(now.getTime() + 5_000);
    assert.deepEqual(nextWakeUp(now, deadline), deadline);
    const sixDays = new Date(now.getTime() + MAX_TIMER_MS);
    assert.deepEqual(nextWakeUp(now, sixDays), sixDays);
  });

  it('it should step in timers of at most 6 days towards a 90-day deadline', () => {
    const deadline = new Date(now.getTime() + 90 * DAY_MS);
    let at = now;
    let steps = 0;
    for (let next = nextWakeUp(at, deadline); next; next = nextWakeUp(at, deadline)) {
      assert.ok(next.getTime() - at.getTime() <= MAX_TIMER_MS);
      at = next;
      steps++;
    }
    assert.deepEqual(at, deadline);
    assert.equal(steps, 15);
  });
});

describe('retentionInstanceId', () => {
  it('it should be deterministic per verification and within 100 characters', () => {
    assert.equal(retentionInstanceId('demo-a', 'v1'), 'retention:demo-a:v1');
    assert.equal(retentionInstanceId('demo-a', 'v1'), retentionInstanceId('demo-a', 'v1'));
    assert.notEqual(retentionInstanceId('demo-a', 'v1'), retentionInstanceId('demo-b', 'v1'));
    const long = retentionInstanceId('t'.repeat(80), 'v'.repeat(60));
    assert.ok(long.length <= 100);
    assert.notEqual(long, retentionInstanceId('t'.repeat(80), 'w'.repeat(60)));
  });
});

describe('retentionInputSchema', () => {
  it('it should reject input without deadlines', () => {
    assert.equal(retentionInputSchema.safeParse({ tenantId: 't', verificationId: 'v' }).success, false);
  });
});
