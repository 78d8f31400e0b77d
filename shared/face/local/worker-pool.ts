/**
 * A pool of worker threads that run jobs off the event loop, one job per worker at a time.
 * tfjs-wasm computes on the thread that calls it, so face work on the main thread blocks every
 * HTTP request of the host; in a worker it blocks only that worker. One worker per core.
 *
 * - Lazy: no worker starts until the first job (cold start matters).
 * - A worker that crashes (uncaught error, `process.exit`, out of memory) is replaced; its
 *   in-flight job is retried once on another worker, then fails with `WorkerCrashedError`.
 * - Idle workers are `unref`'d so they never keep a process alive on their own.
 */
import { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';

/** The worker died while running the job (and again on the retry). */
export class WorkerCrashedError extends Error {
  constructor(cause: unknown) {
    super(`face worker crashed: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = 'WorkerCrashedError';
  }
}

export interface WorkerPoolOptions {
  /** Module the workers run; it answers each `{ id, job }` message with `{ id, result }` or `{ id, error }`. */
  script: string;
  /** Number of workers (default: one per core). */
  size?: number;
  /** Times a job is re-run after its worker crashed (default 1). */
  retriesAfterCrash?: number;
}

interface Pending {
  id: number;
  job: unknown;
  attempts: number;
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

interface Slot { worker: Worker; current?: Pending }

type Reply = { id: number; result: unknown } | { id: number; error: { message: string; name?: string } };

export interface WorkerPool {
  /**
   * Runs `job` on a free worker (queued FIFO when all are busy). The job is copied (structured
   * clone), never transferred: a retry after a crash needs it again, and images are small.
   */
  run<T>(job: unknown): Promise<T>;
  /** Workers started so far (0 before the first job). */
  readonly size: number;
  /** Stops every worker; queued and running jobs are rejected. */
  close(): Promise<void>;
}

export function createWorkerPool(options: WorkerPoolOptions): WorkerPool {
  const size = Math.max(1, options.size ?? availableParallelism());
  const retries = options.retriesAfterCrash ?? 1;
  const slots: Slot[] = [];
  const queue: Pending[] = [];
  let nextId = 1;
  let closed = false;

  function start(): Slot {
    const slot: Slot = { worker: new Worker(options.script) };
    slot.worker.unref();
    slot.worker.on('message', (reply: Reply) => settle(slot, reply));
    slot.worker.on('error', (error) => crashed(slot, error));
    slot.worker.on('exit', (code) => crashed(slot, new Error(`exited with code ${code}`)));
    slots.push(slot);
    return slot;
  }

  function settle(slot: Slot, reply: Reply): void {
    const job = slot.current;
    if (!job || job.id !== reply.id) return;
    slot.current = undefined;
    slot.worker.unref();
    if ('error' in reply) job.reject(Object.assign(new Error(reply.error.message), { name: reply.error.name ?? 'Error' }));
    else job.resolve(reply.result);
    dispatch();
  }

  function crashed(slot: Slot, cause: unknown): void {
    const index = slots.indexOf(slot);
    if (index < 0) return; // 'error' is followed by 'exit': handle the death once
    slots.splice(index, 1);
    slot.worker.removeAllListeners('message');
    const job = slot.current;
    slot.current = undefined;
    if (job) {
      if (job.attempts <= retries && !closed) { job.attempts++; queue.unshift(job); }
      else job.reject(new WorkerCrashedError(cause));
    }
    if (!closed) dispatch();
  }

  function dispatch(): void {
    while (queue.length > 0) {
      const slot = slots.find((s) => !s.current) ?? (slots.length < size ? start() : undefined);
      if (!slot) return;
      const job = queue.shift()!;
      slot.current = job;
      slot.worker.ref();
      slot.worker.postMessage({ id: job.id, job: job.job });
    }
  }

  return {
    run<T>(job: unknown): Promise<T> {
      if (closed) return Promise.reject(new Error('worker pool is closed'));
      return new Promise<T>((resolve, reject) => {
        queue.push({ id: nextId++, job, attempts: 1, resolve: resolve as (v: unknown) => void, reject });
        dispatch();
      });
    },
    get size() { return slots.length; },
    async close() {
      closed = true;
      for (const job of queue.splice(0)) job.reject(new Error('worker pool is closed'));
      const all = slots.splice(0);
      for (const s of all) s.current?.reject(new Error('worker pool is closed'));
      await Promise.all(all.map((s) => s.worker.terminate()));
    },
  };
}
