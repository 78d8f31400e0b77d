/**
 * Fraud check on an incoming order (pure): block lists, amount thresholds and
 * velocity counts, all from settings. The caller audits every result on the
 * order's history, including ALLOW.
 */
import { isSupportedCurrency, parseAmount } from '../money';
import type { OrderSettings } from './settings';

export type FraudDecision = 'ALLOW' | 'DENY' | 'REVIEW';

export interface FraudInput {
  tenantId: string;
  customerRef: string;
  currency: string;
  amountMinor: number;
}

/** Orders already seen in the current velocity window, including this one. */
export interface VelocityCounts {
  customerOrders: number;
  merchantOrders: number;
}

export interface FraudResult {
  decision: FraudDecision;
  /** Stable reason codes, e.g. `customer-blocked`, `amount-over-review-threshold`. */
  reasons: string[];
}

type FraudSettings = Pick<
  OrderSettings,
  | 'FRAUD_ENABLED'
  | 'FRAUD_REVIEW_AMOUNTS'
  | 'FRAUD_DENY_AMOUNTS'
  | 'FRAUD_MAX_ORDERS_PER_CUSTOMER'
  | 'FRAUD_MAX_ORDERS_PER_MERCHANT'
  | 'FRAUD_BLOCKED_CUSTOMERS'
  | 'FRAUD_BLOCKED_MERCHANTS'
>;

function threshold(table: Record<string, string>, currency: string): number | undefined {
  const text = table[currency];
  return text !== undefined && isSupportedCurrency(currency) ? parseAmount(text, currency).minor : undefined;
}

export function checkFraud(input: FraudInput, counts: VelocityCounts, settings: FraudSettings): FraudResult {
  if (!settings.FRAUD_ENABLED) return { decision: 'ALLOW', reasons: ['checks-disabled'] };
  const deny: string[] = [];
  const review: string[] = [];
  if (settings.FRAUD_BLOCKED_MERCHANTS.includes(input.tenantId)) deny.push('merchant-blocked');
  const blocked = settings.FRAUD_BLOCKED_CUSTOMERS;
  if (blocked.includes(input.customerRef) || blocked.includes(`${input.tenantId}:${input.customerRef}`)) {
    deny.push('customer-blocked');
  }
  const denyAt = threshold(settings.FRAUD_DENY_AMOUNTS, input.currency);
  const reviewAt = threshold(settings.FRAUD_REVIEW_AMOUNTS, input.currency);
  if (denyAt !== undefined && input.amountMinor >= denyAt) deny.push('amount-over-deny-threshold');
  else if (reviewAt !== undefined && input.amountMinor >= reviewAt) review.push('amount-over-review-threshold');
  if (counts.customerOrders > settings.FRAUD_MAX_ORDERS_PER_CUSTOMER) deny.push('customer-velocity');
  if (counts.merchantOrders > settings.FRAUD_MAX_ORDERS_PER_MERCHANT) review.push('merchant-velocity');
  if (deny.length > 0) return { decision: 'DENY', reasons: [...deny, ...review] };
  if (review.length > 0) return { decision: 'REVIEW', reasons: review };
  return { decision: 'ALLOW', reasons: [] };
}
