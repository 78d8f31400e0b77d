/** Worker for worker-pool.test.ts: echoes jobs, sleeps on `wait`, exits the thread on `crash`. */
import { parentPort, threadId } from 'node:worker_threads';

type Job = { op: 'echo'; value: number } | { op: 'wait'; ms: number } | { op: 'crash' } | { op: 'fail' };

parentPort?.on('message', ({ id, job }: { id: number; job: Job }) => {
  if (job.op === 'crash') process.exit(3);
  if (job.op === 'fail') return parentPort?.postMessage({ id, error: { message: 'bad job', name: 'TypeError' } });
  const answer = () => parentPort?.postMessage({ id, result: { threadId, value: job.op === 'echo' ? job.value : null } });
  if (job.op === 'wait') setTimeout(answer, job.ms);
  else answer();
});
