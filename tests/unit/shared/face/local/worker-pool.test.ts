import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { createWorkerPool, WorkerCrashedError } from '../../../../../shared/face/local/worker-pool';

const script = path.join(__dirname, 'pool-test-worker.js');
type Reply = { threadId: number; value: number | null };

describe('createWorkerPool', () => {
  it('should start no worker before the first job', async () => {
    const pool = createWorkerPool({ script, size: 2 });
    assert.equal(pool.size, 0);
    await pool.run({ op: 'echo', value: 1 });
    assert.equal(pool.size, 1);
    await pool.close();
  });

  it('should run jobs in parallel on up to size workers and queue the rest', async () => {
    const pool = createWorkerPool({ script, size: 2 });
    const started = Date.now();
    const replies = await Promise.all([1, 2, 3, 4].map(() => pool.run<Reply>({ op: 'wait', ms: 150 })));
    const elapsed = Date.now() - started;
    assert.equal(new Set(replies.map((r) => r.threadId)).size, 2, 'two workers shared the four jobs');
    assert.ok(elapsed >= 290, `four 150 ms jobs on two workers take two rounds (${elapsed} ms)`);
    await pool.close();
  });

  it('should reject a job its worker reports as failed and keep the worker', async () => {
    const pool = createWorkerPool({ script, size: 1 });
    const first = await pool.run<Reply>({ op: 'echo', value: 1 });
    await assert.rejects(pool.run({ op: 'fail' }), { name: 'TypeError', message: 'bad job' });
    assert.equal((await pool.run<Reply>({ op: 'echo', value: 2 })).threadId, first.threadId);
    await pool.close();
  });

  it('should replace a crashed worker, fail its job after the retry, and run the next jobs', async () => {
    const pool = createWorkerPool({ script, size: 2, retriesAfterCrash: 1 });
    const before = await pool.run<Reply>({ op: 'echo', value: 1 });
    const queued = [1, 2, 3].map((value) => pool.run<Reply>({ op: 'echo', value }));
    await assert.rejects(pool.run({ op: 'crash' }), WorkerCrashedError);
    const after = await Promise.all([...queued, pool.run<Reply>({ op: 'echo', value: 4 })]);
    assert.deepEqual(after.map((r) => r.value), [1, 2, 3, 4]);
    assert.ok(pool.size >= 1 && pool.size <= 2, `workers replaced, never more than the size (${pool.size})`);
    assert.ok(after.every((r) => r.threadId !== undefined) && before.threadId > 0);
    await pool.close();
  });

  it('should reject queued work when closed', async () => {
    const pool = createWorkerPool({ script, size: 1 });
    const running = assert.rejects(pool.run({ op: 'wait', ms: 200 }), /closed/);
    const queued = assert.rejects(pool.run({ op: 'echo', value: 1 }), /closed/);
    await pool.close();
    await Promise.all([running, queued]);
    await assert.rejects(pool.run({ op: 'echo', value: 1 }), /closed/);
  });
});
