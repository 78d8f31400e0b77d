/**
 * Function-level retry policies (`retry: { strategy, maxRetryCount, ... }`), which the host runs
 * for timer triggers: a failed invocation runs again after the policy's delay, with
 * `context.retryContext` telling the function the attempt, until it succeeds or the count is spent.
 * (support.ts refuses a policy on triggers Azure does not retry this way.)
 */
import type { HostLog, InvokeRequest } from '../types';

type RetryContext = NonNullable<InvokeRequest['retryContext']>;

interface Duration {
  seconds?: number;
}

/** `metadata.retryOptions` as @azure/functions registers it (durations converted to whole seconds). */
export interface RetryOptionsMetadata {
  strategy?: string;
  maxRetryCount?: number;
  delayInterval?: Duration;
  minimumInterval?: Duration;
  maximumInterval?: Duration;
}

const ms = (duration: Duration | undefined): number => (duration?.seconds ?? 0) * 1000;

/** Delay before retry number `retry` (1-based): fixed, or doubling from minimum to maximum as the host does. */
export function retryDelayMs(options: RetryOptionsMetadata, retry: number): number {
  if (options.strategy === 'exponentialBackoff') {
    const min = ms(options.minimumInterval);
    const max = ms(options.maximumInterval) || Infinity;
    return Math.min(max, min * 2 ** (retry - 1));
  }
  return ms(options.delayInterval);
}

/**
 * Runs `attempt` and, per the policy, again after failures. `maxRetryCount` -1 retries forever
 * (as the host does); `isStopped` ends the retries at shutdown.
 */
export async function withRetryPolicy<T>(
  options: RetryOptionsMetadata | undefined,
  attempt: (retryContext: RetryContext | undefined) => Promise<T>,
  context: { log: HostLog; functionName: string; isStopped: () => boolean },
): Promise<T> {
  const max = options?.maxRetryCount ?? 0;
  for (let retry = 0; ; retry++) {
    try {
      return await attempt(options ? { retryCount: retry, maxRetryCount: max } : undefined);
    } catch (error) {
      if (!options || (max >= 0 && retry >= max) || context.isStopped()) throw error;
      const delay = retryDelayMs(options, retry + 1);
      context.log.info(`${context.functionName} failed (attempt ${retry + 1}); retry policy runs it again in ${delay} ms`);
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}
