/**
 * In-process queue per key. Many orders handled by one process (a Functions
 * host runs queue messages concurrently) would otherwise fight each other over
 * the same hot requisite or balance document with ETag retries; queueing them
 * locally first leaves ETags to arbitrate only between processes. Correctness
 * never depends on it: every write is still ETag-conditional.
 */
export class KeyedLock {
  private readonly tails = new Map<string, Promise<unknown>>();

  async run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(fn, fn);
    const tail = result.catch(() => undefined);
    this.tails.set(key, tail);
    try {
      return await result;
    } finally {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }
}
