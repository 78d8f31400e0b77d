/**
 * Requisite selection rules (pure): which requisites may take an order, in
 * which order to try them (trader priority, then least recently used: a
 * round-robin across equals), and whether the dynamic limits still fit.
 */
import type { OrderDirection } from './schemas';
import type { RequisiteDoc, RequisiteUsage, TraderDoc } from './documents';

export const dayKey = (now: Date): string => now.toISOString().slice(0, 10);
export const monthKey = (now: Date): string => now.toISOString().slice(0, 7);

/** Usage as of `now`: counters of a past day or month start again from zero. */
export function rollUsage(usage: RequisiteUsage, now: Date): RequisiteUsage {
  const day = dayKey(now);
  const month = monthKey(now);
  return {
    day,
    dayMinor: usage.day === day ? usage.dayMinor : 0,
    month,
    monthMinor: usage.month === month ? usage.monthMinor : 0,
  };
}

export interface OrderAsk {
  direction: OrderDirection;
  method: string;
  currency: string;
  amountMinor: number;
}

/** Why a requisite cannot take the order (static rules), or undefined when it can. */
export function staticMismatch(requisite: RequisiteDoc, trader: TraderDoc | undefined, ask: OrderAsk): string | undefined {
  if (!trader || !trader.active) return 'trader-inactive';
  return requisiteMismatch(requisite, ask);
}

/** The requisite's own static rules: status, method, currency, direction, per-order min/max. */
export function requisiteMismatch(requisite: RequisiteDoc, ask: OrderAsk): string | undefined {
  if (requisite.status !== 'active') return 'requisite-inactive';
  if (requisite.method !== ask.method) return 'method';
  if (requisite.currency !== ask.currency) return 'currency';
  if (!requisite.directions.includes(ask.direction)) return 'direction';
  if (ask.amountMinor < requisite.minOrderMinor) return 'below-order-minimum';
  if (ask.amountMinor > requisite.maxOrderMinor) return 'above-order-maximum';
  return undefined;
}

/** Why the amount would break today's or this month's limit, or undefined when it fits. */
export function dynamicLimitExceeded(requisite: RequisiteDoc, amountMinor: number, now: Date): string | undefined {
  const usage = rollUsage(requisite.usage, now);
  if (usage.dayMinor + amountMinor > requisite.dailyLimitMinor) return 'daily-limit';
  if (usage.monthMinor + amountMinor > requisite.monthlyLimitMinor) return 'monthly-limit';
  return undefined;
}

export interface Candidate {
  requisite: RequisiteDoc;
  trader: TraderDoc;
}

/** Trader priority ascending, then never-used first, then least recently used; id breaks ties so order is stable. */
export function compareCandidates(a: Candidate, b: Candidate): number {
  if (a.trader.trafficPriority !== b.trader.trafficPriority) return a.trader.trafficPriority - b.trader.trafficPriority;
  const aUsed = a.requisite.lastUsedAt;
  const bUsed = b.requisite.lastUsedAt;
  if (aUsed !== bUsed) {
    if (aUsed === null) return -1;
    if (bUsed === null) return 1;
    return aUsed < bUsed ? -1 : 1;
  }
  return a.requisite.id < b.requisite.id ? -1 : a.requisite.id > b.requisite.id ? 1 : 0;
}

/** Candidates that pass every static and dynamic rule, best first. */
export function rankCandidates(
  requisites: readonly RequisiteDoc[],
  traders: ReadonlyMap<string, TraderDoc>,
  ask: OrderAsk,
  now: Date,
): Candidate[] {
  const candidates: Candidate[] = [];
  for (const requisite of requisites) {
    const trader = traders.get(requisite.traderId);
    if (staticMismatch(requisite, trader, ask) || dynamicLimitExceeded(requisite, ask.amountMinor, now)) continue;
    if (trader) candidates.push({ requisite, trader });
  }
  return candidates.sort(compareCandidates);
}
