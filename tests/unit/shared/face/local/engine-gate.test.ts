import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { throughEngineGate } from '../../../../../shared/face/local/engine-gate';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('throughEngineGate', () => {
  it('should run one piece of work at a time, in arrival order, past a failure', async () => {
    const log: string[] = [];
    let running = 0;
    const job = (name: string, fail = false) =>
      throughEngineGate(async () => {
        running++;
        assert.equal(running, 1, 'never two at once');
        log.push(`start ${name}`);
        await tick();
        log.push(`end ${name}`);
        running--;
        if (fail) throw new Error(name);
        return name;
      });
    const results = await Promise.allSettled([job('a'), job('b', true), job('c')]);
    assert.deepEqual(log, ['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
    assert.deepEqual(results.map((r) => r.status), ['fulfilled', 'rejected', 'fulfilled']);
  });
});
