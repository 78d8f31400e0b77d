/**
 * The order orchestration's input. Settings are read by the starter (queue
 * handler) and passed in, because an orchestrator must be deterministic: it may
 * not read settings, env or the clock itself.
 */
import { z } from 'zod';
import type { OrderSettings } from './settings';

export const orderOrchestrationInputSchema = z.object({
  tenantId: z.string().min(1),
  orderId: z.string().min(1),
  /** For `callActivityWithRetry` on the assign activity. */
  retry: z.object({
    maxNumberOfAttempts: z.number().int().min(1),
    firstRetryIntervalMs: z.number().int().min(1),
    backoffCoefficient: z.number().min(1),
  }),
  /** Used only if an order carries no `expiresAt`. */
  timeoutMinutes: z.number().int().min(1),
});
export type OrderOrchestrationInput = z.infer<typeof orderOrchestrationInputSchema>;

/**
 * Attempts = MAX_ORDER_RETRIES + 1: the engine itself marks the order `failed` on
 * the attempt after its last retry, so the durable retries line up with it.
 * Delays follow the engine's `retryDelaySeconds` (base × factor^n); durable
 * timers need at least 1 ms.
 */
export function orderOrchestrationInput(settings: OrderSettings, tenantId: string, orderId: string): OrderOrchestrationInput {
  return {
    tenantId,
    orderId,
    retry: {
      maxNumberOfAttempts: settings.MAX_ORDER_RETRIES + 1,
      firstRetryIntervalMs: Math.max(1, settings.RETRY_BASE_DELAY_SECONDS * 1000),
      backoffCoefficient: settings.RETRY_BACKOFF_FACTOR,
    },
    timeoutMinutes: settings.ORDER_TIMEOUT_MINUTES,
  };
}

/** Body of an `orders` queue message and of every order activity. */
export const orderRefSchema = z.object({ tenantId: z.string().min(1), orderId: z.string().min(1) });
export type OrderRef = z.infer<typeof orderRefSchema>;
