/**
 * Trader deposits moved by a platform admin: a top-up credits the trader's
 * settlement-currency (crypto) account from the outside world (platform cash), a
 * withdrawal debits it back. Each is one balanced journal whose id comes from the
 * caller's Idempotency-Key, so a repeated request posts nothing twice (and a
 * different body under the same key is a conflict, not a second movement).
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { conflict, DomainError, notFound } from '../errors';
import { formatAmount, isSupportedCurrency, parseAmount } from '../money';
import type { OrderDeps } from './deps';
import { PLATFORM_TENANT, type JournalDoc, type TraderDoc } from './documents';
import { getBalance, insufficientBalance, postJournal } from './ledger';
import { buildDepositSet, buildWithdrawalSet, journalId, traderCryptoAccount } from './ledger-postings';
import { readItem } from './store';

export const traderDepositBodySchema = z
  .object({
    /** `top-up` adds to the trader's deposit, `withdrawal` pays part of it out. */
    direction: z.enum(['top-up', 'withdrawal']),
    /** Decimal string in `currency` (default: the settlement currency), e.g. `"500.000000"`. */
    amount: z.string().regex(/^\d{1,15}(\.\d{1,8})?$/, 'a positive decimal string'),
    currency: z.string().regex(/^[A-Z]{3,5}$/).optional(),
  })
  .strict();
export type TraderDepositBody = z.infer<typeof traderDepositBodySchema>;

export interface TraderDepositResult {
  journalId: string;
  traderId: string;
  direction: TraderDepositBody['direction'];
  amount: string;
  currency: string;
  /** The trader's deposit balance after the movement (as of this call). */
  balance: string;
  /** True when the key had already been used with this body: nothing moved now. */
  replayed: boolean;
}

/** Journal id: the key is hashed, so whatever the caller sends stays out of the ledger's ids. */
const movementId = (traderId: string, idempotencyKey: string) =>
  `trader-deposit:${traderId}:${createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 32)}`;

export async function moveTraderDeposit(
  deps: Pick<OrderDeps, 'store' | 'clock' | 'settings'>,
  traderId: string,
  idempotencyKey: string,
  body: TraderDepositBody,
): Promise<TraderDepositResult> {
  const currency = body.currency ?? deps.settings.SETTLEMENT_CURRENCY;
  if (!isSupportedCurrency(currency)) throw new DomainError('validation-failed', `Unsupported currency ${currency}`, 400, { errors: [{ path: 'currency', message: 'unsupported' }] });
  const money = parseAmount(body.amount, currency);
  if (money.minor <= 0) throw new DomainError('validation-failed', 'Amount must be positive', 400, { errors: [{ path: 'amount', message: 'must be positive' }] });
  const trader = await readItem<TraderDoc>(deps.store.traders, traderId, PLATFORM_TENANT);
  if (!trader || trader.type !== 'trader') throw notFound('Trader');
  const account = traderCryptoAccount(traderId, currency);
  const id = movementId(traderId, idempotencyKey);
  const kind = body.direction === 'top-up' ? 'deposit' : 'withdrawal';
  const legs = kind === 'deposit' ? buildDepositSet(id, account, money.minor) : buildWithdrawalSet(id, account, money.minor);
  const existing = await readItem<JournalDoc>(deps.store.ledger, journalId(id, kind), PLATFORM_TENANT);
  const other = await readItem<JournalDoc>(deps.store.ledger, journalId(id, kind === 'deposit' ? 'withdrawal' : 'deposit'), PLATFORM_TENANT);
  if (other || (existing && JSON.stringify(existing.legs) !== JSON.stringify(legs))) {
    throw conflict('idempotency-key-reused', 'This Idempotency-Key was used for another deposit movement', {});
  }
  if (!existing && kind === 'withdrawal') {
    // Deposits may go negative through settlements, never through a payout to the trader.
    const balance = (await getBalance(deps.store, account.accountId))?.balanceMinor ?? 0;
    if (balance < money.minor) throw insufficientBalance(account, balance, money.minor);
  }
  const journal = await postJournal(
    deps.store,
    { id: journalId(id, kind), type: 'journal', tenantId: PLATFORM_TENANT, orderId: id, kind, legs, createdAt: deps.clock.now().toISOString() },
    deps.clock,
    deps.settings.CONCURRENCY_MAX_ATTEMPTS,
  );
  const balance = (await getBalance(deps.store, account.accountId))?.balanceMinor ?? 0;
  return {
    journalId: journal.id,
    traderId,
    direction: body.direction,
    amount: formatAmount(money),
    currency,
    balance: formatAmount({ minor: balance, currency }),
    replayed: existing !== undefined,
  };
}
