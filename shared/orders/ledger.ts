/**
 * Posting an order's ledger entries and proving balances match them.
 *
 * A posting set is first written as a journal doc (id `${orderId}:${kind}`,
 * create-if-absent). Each leg is then applied to its account: the balance doc
 * is replaced under its ETag with the new amount, a sequence number and the leg
 * as `pending`; then the posting doc (id = leg id) is created. A leg counts as
 * applied once it is the balance's `pending` or its posting doc exists, so a
 * replay or a crash between the two writes never applies a leg twice; the next
 * writer of that balance completes a pending posting doc before its own write.
 */
import { DomainError } from '../errors';
import type { Clock } from '../platform/clock';
import type { AccountRef, BalanceDoc, JournalDoc, OrderDoc, OrderPostingKind, PostingDoc, PostingLeg } from './documents';
import { concurrencyExhausted, isConflict, isPreconditionFailed } from './cosmos-errors';
import { assertBalanced, buildDepositSet, buildPostingSet, journalId, sumByCurrency } from './ledger-postings';
import { completedWrites } from './completed-writes';
import { contentionPause } from './optimistic';
import { ifMatch, readItem, type OrdersStore } from './store';
import { recordLedgerReconciliation } from '../platform/metrics';

export const insufficientBalance = (account: AccountRef, balanceMinor: number, requiredMinor: number) =>
  new DomainError('insufficient-balance', `Balance of ${account.kind} account is too low`, 409, {
    accountKind: account.kind,
    currency: account.currency,
    balanceMinor,
    requiredMinor,
  });

async function createIgnoringConflict(container: OrdersStore['balances'], doc: object): Promise<void> {
  try {
    await container.items.create(doc);
  } catch (error) {
    if (!isConflict(error)) throw error;
  }
}

/** Writes a balance's pending posting doc if no one has (idempotent). */
async function completePosting(store: OrdersStore, posting: PostingDoc): Promise<void> {
  const key = `${store.balances.database.id}/posting:${posting.accountId}/${posting.id}`;
  if (completedWrites.has(key)) return;
  await createIgnoringConflict(store.balances, posting);
  completedWrites.add(key);
}

/** Reads an account's balance doc, creating a zero balance on first use. */
async function readOrOpenBalance(store: OrdersStore, account: AccountRef, clock: Clock): Promise<BalanceDoc> {
  const existing = await readItem<BalanceDoc>(store.balances, account.accountId, account.accountId);
  if (existing) return existing;
  const opened: BalanceDoc = {
    id: account.accountId,
    type: 'balance',
    accountId: account.accountId,
    tenantId: account.tenantId,
    kind: account.kind,
    ownerId: account.ownerId,
    currency: account.currency,
    balanceMinor: 0,
    seq: 0,
    allowNegative: account.allowNegative,
    updatedAt: clock.now().toISOString(),
  };
  await createIgnoringConflict(store.balances, opened);
  const read = await readItem<BalanceDoc>(store.balances, account.accountId, account.accountId);
  if (!read) throw new Error(`balance ${account.accountId} vanished after create`);
  return read;
}

/** Applies one leg to its balance exactly once. Returns false if it was already applied. */
export async function applyLeg(store: OrdersStore, journal: JournalDoc, leg: PostingLeg, clock: Clock, maxAttempts: number): Promise<boolean> {
  const apply = () => applyLegOnce(store, journal, leg, clock, maxAttempts);
  return store.locks ? store.locks.run(`balance:${leg.account.accountId}`, apply) : apply();
}

async function applyLegOnce(store: OrdersStore, journal: JournalDoc, leg: PostingLeg, clock: Clock, maxAttempts: number): Promise<boolean> {
  for (let attempt = 0; attempt < maxAttempts; attempt += 1) {
    const balance = await readOrOpenBalance(store, leg.account, clock);
    if (balance.pending) await completePosting(store, balance.pending);
    if (balance.pending?.id === leg.id) return false;
    if (await readItem<PostingDoc>(store.balances, leg.id, leg.account.accountId)) return false;
    const after = balance.balanceMinor + leg.amountMinor;
    if (after < 0 && !balance.allowNegative) throw insufficientBalance(leg.account, balance.balanceMinor, -leg.amountMinor);
    const at = clock.now().toISOString();
    const posting: PostingDoc = {
      id: leg.id,
      type: 'posting',
      accountId: leg.account.accountId,
      tenantId: leg.account.tenantId,
      journalId: journal.id,
      orderId: journal.orderId,
      currency: leg.currency,
      amountMinor: leg.amountMinor,
      seq: balance.seq + 1,
      balanceAfterMinor: after,
      at,
    };
    const next: BalanceDoc = { ...balance, balanceMinor: after, seq: posting.seq, pending: posting, updatedAt: at };
    try {
      await store.balances.item(balance.id, balance.accountId).replace(next, ifMatch(balance._etag));
      await completePosting(store, posting);
      return true;
    } catch (error) {
      if (!isPreconditionFailed(error)) throw error;
      await contentionPause(attempt);
    }
  }
  throw concurrencyExhausted(`balance ${leg.account.accountId}`);
}

/** A leg that can fail for lack of funds: applied first, so a failure leaves nothing half-posted. */
const isGuarded = (leg: PostingLeg) => leg.amountMinor < 0 && !leg.account.allowNegative;

/**
 * Posts a journal once, however often it is called: create-if-absent on the
 * journal (an existing one wins), then each leg exactly once. Throws
 * `insufficient-balance` (409) if a guarded balance would go below zero; then
 * nothing is posted and the journal is withdrawn so a later call can try again.
 */
export async function postJournal(store: OrdersStore, draft: JournalDoc, clock: Clock, maxAttempts: number): Promise<JournalDoc> {
  assertBalanced(draft.legs);
  let journal = draft;
  try {
    await store.ledger.items.create(draft);
  } catch (error) {
    if (!isConflict(error)) throw error;
    journal = (await readItem<JournalDoc>(store.ledger, draft.id, draft.tenantId)) ?? draft;
  }
  const legs = [...journal.legs.filter(isGuarded), ...journal.legs.filter((l) => !isGuarded(l))];
  let applied = 0;
  for (const leg of legs) {
    try {
      await applyLeg(store, journal, leg, clock, maxAttempts);
      applied += 1;
    } catch (error) {
      if (applied === 0 && error instanceof DomainError && error.code === 'insufficient-balance') {
        await store.ledger.item(journal.id, journal.tenantId).delete().catch(() => undefined);
      }
      throw error;
    }
  }
  return journal;
}

/** Posts the order's hold / refund / settle set (ids `${orderId}:${kind}:${leg}`); see postJournal. */
export async function postLedgerEntries(
  store: OrdersStore,
  order: OrderDoc,
  kind: OrderPostingKind,
  clock: Clock,
  maxAttempts: number,
): Promise<JournalDoc> {
  const draft: JournalDoc = {
    id: journalId(order.id, kind),
    type: 'journal',
    tenantId: order.tenantId,
    orderId: order.id,
    kind,
    legs: buildPostingSet(order, kind),
    createdAt: clock.now().toISOString(),
  };
  return postJournal(store, draft, clock, maxAttempts);
}

/**
 * Records money arriving from outside (a merchant top-up or a trader's crypto
 * deposit). `depositId` is the caller's idempotency key: the same id posts once.
 */
export async function recordDeposit(
  store: OrdersStore,
  depositId: string,
  account: AccountRef,
  amountMinor: number,
  clock: Clock,
  maxAttempts: number,
): Promise<JournalDoc> {
  const draft: JournalDoc = {
    id: journalId(depositId, 'deposit'),
    type: 'journal',
    tenantId: account.tenantId,
    orderId: depositId,
    kind: 'deposit',
    legs: buildDepositSet(depositId, account, amountMinor),
    createdAt: clock.now().toISOString(),
  };
  return postJournal(store, draft, clock, maxAttempts);
}

/** Current balance of an account in minor units (0 if it was never used). */
export async function getBalance(store: OrdersStore, accountId: string): Promise<BalanceDoc | undefined> {
  return readItem<BalanceDoc>(store.balances, accountId, accountId);
}

export interface ReconciliationReport {
  ok: boolean;
  accounts: number;
  postings: number;
  journals: number;
  /** Accounts whose balance differs from the sum of their postings (or whose seq differs from their count). */
  mismatches: { accountId: string; balanceMinor: number; postingsMinor: number; seq: number; postingCount: number }[];
  /** Journals with a leg that has no posting doc (a crashed posting; re-run postLedgerEntries). */
  incompleteJournals: string[];
  /** Journals whose legs do not sum to zero per currency. */
  unbalancedJournals: string[];
}

/**
 * Proves every balance equals the sum of its postings and every journal is
 * balanced and fully applied. Pending posting docs are completed first (the
 * same repair any writer does). Reads everything: an offline/admin check.
 */
export async function reconcile(store: OrdersStore): Promise<ReconciliationReport> {
  const { resources: balances } = await store.balances.items
    .query<BalanceDoc>({ query: "SELECT * FROM c WHERE c.type = 'balance'" })
    .fetchAll();
  for (const balance of balances) if (balance.pending) await createIgnoringConflict(store.balances, balance.pending);
  const { resources: postings } = await store.balances.items
    .query<PostingDoc>({ query: "SELECT * FROM c WHERE c.type = 'posting'" })
    .fetchAll();
  const { resources: journals } = await store.ledger.items
    .query<JournalDoc>({ query: "SELECT * FROM c WHERE c.type = 'journal'" })
    .fetchAll();
  const totals = new Map<string, { sum: number; count: number }>();
  const postingIds = new Set<string>();
  for (const p of postings) {
    const t = totals.get(p.accountId) ?? { sum: 0, count: 0 };
    totals.set(p.accountId, { sum: t.sum + p.amountMinor, count: t.count + 1 });
    postingIds.add(p.id);
  }
  const mismatches = balances
    .map((b) => ({ b, t: totals.get(b.accountId) ?? { sum: 0, count: 0 } }))
    .filter(({ b, t }) => b.balanceMinor !== t.sum || b.seq !== t.count)
    .map(({ b, t }) => ({ accountId: b.accountId, balanceMinor: b.balanceMinor, postingsMinor: t.sum, seq: b.seq, postingCount: t.count }));
  const incompleteJournals = journals.filter((j) => j.legs.some((l) => !postingIds.has(l.id))).map((j) => j.id);
  const unbalancedJournals = journals
    .filter((j) => [...sumByCurrency(j.legs).values()].some((sum) => sum !== 0))
    .map((j) => j.id);
  recordLedgerReconciliation(mismatches.length + incompleteJournals.length + unbalancedJournals.length);
  return {
    ok: mismatches.length === 0 && incompleteJournals.length === 0 && unbalancedJournals.length === 0,
    accounts: balances.length,
    postings: postings.length,
    journals: journals.length,
    mismatches,
    incompleteJournals,
    unbalancedJournals,
  };
}
