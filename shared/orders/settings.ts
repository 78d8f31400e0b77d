/**
 * Order-engine settings. The lead's runtime-settings loader reads them from the
 * settings container (so operators change them without a redeploy) and parses
 * them with this schema; every key has a default so an empty document works.
 */
import { z } from 'zod';

const decimalString = z.string().regex(/^(0|[1-9]\d*)(\.\d+)?$/, 'a non-negative decimal string');

export const orderSettingsSchema = z.object({
  /** Assignment attempts (queue deliveries) before an order with no requisite becomes `failed`. */
  MAX_ORDER_RETRIES: z.number().int().min(0).default(5),
  /** Delay multiplier between assignment attempts: delay = RETRY_BASE_DELAY_SECONDS * FACTOR^attempt. */
  RETRY_BACKOFF_FACTOR: z.number().min(1).default(2),
  /** First retry delay, seconds. */
  RETRY_BASE_DELAY_SECONDS: z.number().int().min(0).default(10),
  /** Minutes an order may stay unpaid (new/assigned) before it expires and its reservation is released. */
  ORDER_TIMEOUT_MINUTES: z.number().int().min(1).default(30),
  /** Seconds reference data (rates, banks, methods, traders) is cached in memory. */
  REFERENCE_CACHE_SECONDS: z.number().int().min(0).default(60),
  /** Optimistic-concurrency attempts (HTTP 412) before a write gives up with `concurrency-conflict`. */
  CONCURRENCY_MAX_ATTEMPTS: z.number().int().min(1).default(50),
  /** Currency traders' deposits are held in; order amounts are converted to it at the fixed rate. */
  SETTLEMENT_CURRENCY: z.string().default('USDT'),
  /** Methods a merchant may name in an order body. */
  PAYMENT_METHODS: z.array(z.string().min(1)).default(['card', 'sbp', 'bank_transfer']),
  /** Fraud checks on/off (off: every order is ALLOW, still audited). */
  FRAUD_ENABLED: z.boolean().default(true),
  /** Per currency: amounts at or above this go to manual review. */
  FRAUD_REVIEW_AMOUNTS: z.record(z.string(), decimalString).default({ RUB: '300000.00', USD: '3000.00' }),
  /** Per currency: amounts at or above this are denied. */
  FRAUD_DENY_AMOUNTS: z.record(z.string(), decimalString).default({ RUB: '1000000.00', USD: '10000.00' }),
  /** Length of the velocity window, minutes. */
  FRAUD_VELOCITY_WINDOW_MINUTES: z.number().int().min(1).default(60),
  /** Orders one customer (merchant's customerRef) may place per window; more are denied. */
  FRAUD_MAX_ORDERS_PER_CUSTOMER: z.number().int().min(1).default(10),
  /** Orders one merchant may place per window; more go to review. */
  FRAUD_MAX_ORDERS_PER_MERCHANT: z.number().int().min(1).default(10_000),
  /** Customer refs (per merchant: "tenantId:customerRef", or bare customerRef for all merchants) that are denied. */
  FRAUD_BLOCKED_CUSTOMERS: z.array(z.string()).default([]),
  /** Merchant tenant ids whose orders are denied. */
  FRAUD_BLOCKED_MERCHANTS: z.array(z.string()).default([]),
});

export type OrderSettings = z.infer<typeof orderSettingsSchema>;

/** Settings with every default, for tests and the seed. */
export const defaultOrderSettings = (): OrderSettings => orderSettingsSchema.parse({});

/** Seconds to wait before assignment attempt `retryCount + 1`. */
export function retryDelaySeconds(retryCount: number, settings: OrderSettings): number {
  return Math.round(settings.RETRY_BASE_DELAY_SECONDS * settings.RETRY_BACKOFF_FACTOR ** retryCount);
}
