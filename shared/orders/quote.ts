/**
 * Commissions and settlement amount fixed on an order at assignment (pure).
 * Rounding favours nobody silently: the store's commission rounds up, the
 * trader's reward rounds down, so platform profit is never negative by rounding;
 * the settlement conversion rounds half-up.
 */
import { DomainError } from '../errors';
import { applyBasisPoints, convert, type ExchangeRate } from '../money';
import type { OrderDirection } from './schemas';
import type { CommissionBps, OrderQuote } from './documents';

export interface QuoteInput {
  direction: OrderDirection;
  amountMinor: number;
  currency: string;
  storeCommission: CommissionBps;
  traderCommission: CommissionBps;
  /** Rate between the settlement currency (base) and the order currency (quote). */
  rate: ExchangeRate;
  settlementCurrency: string;
}

export function computeQuote(input: QuoteInput): OrderQuote {
  const storeBps = input.direction === 'payin' ? input.storeCommission.payinBps : input.storeCommission.payoutBps;
  const traderBps = input.direction === 'payin' ? input.traderCommission.payinBps : input.traderCommission.payoutBps;
  if (traderBps > storeBps) {
    throw new DomainError('commission-misconfigured', 'Trader commission exceeds the store commission', 500, {}, false);
  }
  const storeCommissionMinor = applyBasisPoints(input.amountMinor, storeBps, 'ceil');
  const traderCommissionMinor = applyBasisPoints(input.amountMinor, traderBps, 'floor');
  // Pay-in: the trader received the amount and keeps his reward, so he owes amount - reward.
  // Pay-out: the trader paid the amount from his own money and earns his reward on top.
  const traderFiatMinor =
    input.direction === 'payin' ? input.amountMinor - traderCommissionMinor : input.amountMinor + traderCommissionMinor;
  const settlement = convert({ currency: input.currency, minor: traderFiatMinor }, input.settlementCurrency, input.rate, 'half-up');
  return {
    amountMinor: input.amountMinor,
    currency: input.currency,
    storeCommissionBps: storeBps,
    traderCommissionBps: traderBps,
    storeCommissionMinor,
    traderCommissionMinor,
    platformProfitMinor: storeCommissionMinor - traderCommissionMinor,
    rate: { base: input.rate.base, quote: input.rate.quote, rate: input.rate.rate },
    settlementCurrency: input.settlementCurrency,
    settlementMinor: settlement.minor,
  };
}
