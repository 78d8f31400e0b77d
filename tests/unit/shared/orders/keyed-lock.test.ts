import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { KeyedLock } from '../../../../shared/orders/keyed-lock';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('keyed lock', () => {
  it('should run tasks of one key one at a time, in arrival order', async () => {
    const lock = new KeyedLock();
    const log: string[] = [];
    let inside = 0;
    const task = (name: string) => lock.run('k', async () => {
      inside += 1;
      assert.equal(inside, 1);
      log.push(`start ${name}`);
      await tick();
      log.push(`end ${name}`);
      inside -= 1;
    });
    await Promise.all([task('a'), task('b'), task('c')]);
    assert.deepEqual(log, ['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
  });

  it('should let different keys run side by side', async () => {
    const lock = new KeyedLock();
    let concurrent = 0;
    let peak = 0;
    const task = (key: string) => lock.run(key, async () => {
      concurrent += 1;
      peak = Math.max(peak, concurrent);
      await tick();
      concurrent -= 1;
    });
    await Promise.all([task('x'), task('y')]);
    assert.equal(peak, 2);
  });

  it('should keep the queue going after a task fails', async () => {
    const lock = new KeyedLock();
    await assert.rejects(lock.run('k', async () => { throw new Error('boom'); }), /boom/);
    assert.equal(await lock.run('k', async () => 42), 42);
  });
});
