/**
 * Which double-entry legs an order posts (pure). Sign convention: a balance is
 * what the platform owes the account holder; a positive leg credits it.
 *
 *   hold   (pay-out created)   store -(A+sc)          store-hold +(A+sc)
 *   refund (pay-out cancelled) store-hold -(A+sc)     store +(A+sc)
 *   settle pay-in   store +(A-sc)   profit +(sc-tc)   fx[C] -(A-tc)   fx[S] +X   trader-crypto[S] -X
 *   settle pay-out  store-hold -(A+sc)   profit +(sc-tc)   fx[C] +(A+tc)   fx[S] -X   trader-crypto[S] +X
 *
 * A = amount, sc/tc = store/trader commission (order currency C), X = the
 * trader's fiat part converted to the settlement currency S at the fixed rate.
 * The fx account is the platform's conversion position; every set sums to zero per currency.
 */
import { DomainError } from '../errors';
import { PLATFORM_TENANT, type AccountRef, type OrderDoc, type OrderPostingKind, type PostingKind, type PostingLeg } from './documents';

export const storeAccount = (tenantId: string, storeId: string, currency: string): AccountRef => ({
  accountId: `store:${tenantId}:${storeId}:${currency}`, kind: 'store', ownerId: storeId, tenantId, currency, allowNegative: false,
});
export const storeHoldAccount = (tenantId: string, storeId: string, currency: string): AccountRef => ({
  accountId: `store-hold:${tenantId}:${storeId}:${currency}`, kind: 'store-hold', ownerId: storeId, tenantId, currency, allowNegative: false,
});
/** Trader deposits may go negative: a trader who owes the platform is settled outside this engine. */
export const traderCryptoAccount = (traderId: string, currency: string): AccountRef => ({
  accountId: `trader-crypto:${traderId}:${currency}`, kind: 'trader-crypto', ownerId: traderId, tenantId: PLATFORM_TENANT, currency, allowNegative: true,
});
export const platformProfitAccount = (currency: string): AccountRef => ({
  accountId: `platform-profit:${currency}`, kind: 'platform-profit', ownerId: PLATFORM_TENANT, tenantId: PLATFORM_TENANT, currency, allowNegative: true,
});
export const platformFxAccount = (currency: string): AccountRef => ({
  accountId: `platform-fx:${currency}`, kind: 'platform-fx', ownerId: PLATFORM_TENANT, tenantId: PLATFORM_TENANT, currency, allowNegative: true,
});

export const platformCashAccount = (currency: string): AccountRef => ({
  accountId: `platform-cash:${currency}`, kind: 'platform-cash', ownerId: PLATFORM_TENANT, tenantId: PLATFORM_TENANT, currency, allowNegative: true,
});

export const journalId = (orderId: string, kind: PostingKind) => `${orderId}:${kind}`;

export function leg(orderId: string, kind: PostingKind, name: string, account: AccountRef, amountMinor: number): PostingLeg {
  return { id: `${orderId}:${kind}:${name}`, account, currency: account.currency, amountMinor };
}

function holdAmount(order: OrderDoc): number {
  if (order.direction !== 'payout' || order.holdMinor === undefined) {
    throw new DomainError('ledger-misuse', `Order ${order.id} has no pay-out hold`, 500, {}, false);
  }
  return order.holdMinor;
}

function settleLegs(order: OrderDoc): PostingLeg[] {
  const q = order.quote;
  const traderId = order.assignment?.traderId;
  if (!q || !traderId) throw new DomainError('ledger-misuse', `Order ${order.id} is not assigned`, 500, {}, false);
  const C = order.currency;
  const S = q.settlementCurrency;
  const payin = order.direction === 'payin';
  const sign = payin ? 1 : -1;
  const fiat = payin ? q.amountMinor - q.traderCommissionMinor : q.amountMinor + q.traderCommissionMinor;
  const storeLeg = payin
    ? leg(order.id, 'settle', 'store', storeAccount(order.tenantId, order.storeId, C), q.amountMinor - q.storeCommissionMinor)
    : leg(order.id, 'settle', 'store-hold', storeHoldAccount(order.tenantId, order.storeId, C), -holdAmount(order));
  return [
    storeLeg,
    leg(order.id, 'settle', 'profit', platformProfitAccount(C), q.platformProfitMinor),
    leg(order.id, 'settle', 'fx-fiat', platformFxAccount(C), -sign * fiat),
    leg(order.id, 'settle', 'fx-settlement', platformFxAccount(S), sign * q.settlementMinor),
    leg(order.id, 'settle', 'trader', traderCryptoAccount(traderId, S), -sign * q.settlementMinor),
  ];
}

/** The legs of one posting set, zero legs dropped; throws if they do not sum to zero per currency. */
export function buildPostingSet(order: OrderDoc, kind: OrderPostingKind): PostingLeg[] {
  const C = order.currency;
  const legs =
    kind === 'settle'
      ? settleLegs(order)
      : kind === 'hold'
        ? [
            leg(order.id, kind, 'store', storeAccount(order.tenantId, order.storeId, C), -holdAmount(order)),
            leg(order.id, kind, 'store-hold', storeHoldAccount(order.tenantId, order.storeId, C), holdAmount(order)),
          ]
        : [
            leg(order.id, kind, 'store-hold', storeHoldAccount(order.tenantId, order.storeId, C), -holdAmount(order)),
            leg(order.id, kind, 'store', storeAccount(order.tenantId, order.storeId, C), holdAmount(order)),
          ];
  const nonZero = legs.filter((l) => l.amountMinor !== 0);
  assertBalanced(nonZero);
  return nonZero;
}

/** Money arriving from outside (merchant top-up, trader deposit): the account +amount, platform cash -amount. */
export function buildDepositSet(depositId: string, account: AccountRef, amountMinor: number): PostingLeg[] {
  if (!Number.isSafeInteger(amountMinor) || amountMinor <= 0) throw new RangeError('deposit amount must be a positive integer');
  return [
    leg(depositId, 'deposit', 'account', account, amountMinor),
    leg(depositId, 'deposit', 'cash', platformCashAccount(account.currency), -amountMinor),
  ];
}

/** Money leaving an account to the outside world: the mirror of a deposit. */
export function buildWithdrawalSet(withdrawalId: string, account: AccountRef, amountMinor: number): PostingLeg[] {
  if (!Number.isSafeInteger(amountMinor) || amountMinor <= 0) throw new RangeError('withdrawal amount must be a positive integer');
  return [
    leg(withdrawalId, 'withdrawal', 'account', account, -amountMinor),
    leg(withdrawalId, 'withdrawal', 'cash', platformCashAccount(account.currency), amountMinor),
  ];
}

/** Sum per currency; a balanced set has only zeros. */
export function sumByCurrency(legs: readonly PostingLeg[]): Map<string, number> {
  const sums = new Map<string, number>();
  for (const l of legs) sums.set(l.currency, (sums.get(l.currency) ?? 0) + l.amountMinor);
  return sums;
}

export function assertBalanced(legs: readonly PostingLeg[]): void {
  for (const [currency, sum] of sumByCurrency(legs)) {
    if (sum !== 0) throw new DomainError('ledger-unbalanced', `Posting set is off by ${sum} ${currency} minor units`, 500, {}, false);
  }
}
