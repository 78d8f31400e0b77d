/**
 * A merchant's money per store and currency, read from the ledger: the balance (available, and
 * held for pay-outs in flight), its history (one line per posting, newest first) and a statement
 * of a period as CSV. Every query names the tenant in its filter; a store's accounts are
 * `store:{tenant}:{store}:{currency}` and `store-hold:…` (ledger-postings.ts).
 */
import { badRequest, DomainError, notFound } from '../../errors';
import { formatAmount, isSupportedCurrency } from '../../money';
import type { OrderDeps } from '../deps';
import type { BalanceDoc, MerchantDoc, PostingDoc } from '../documents';
import { storeAccount, storeHoldAccount } from '../ledger-postings';
import { queryPage, type Page } from '../paging';
import { readItem } from '../store';

export interface StoreBalanceView {
  storeId: string;
  currency: string;
  /** What the store may pay out now, decimal string. */
  available: string;
  /** Held for pay-outs not yet completed or refunded. */
  held: string;
  updatedAt: string;
}

/** Every store balance of the tenant (or of one store / one currency), sorted by store then currency. */
export async function listStoreBalances(deps: Pick<OrderDeps, 'store'>, tenantId: string, filter: { storeId?: string | undefined; currency?: string | undefined }): Promise<StoreBalanceView[]> {
  const where = ["c.type = 'balance'", 'c.tenantId = @tenantId', "(c.kind = 'store' OR c.kind = 'store-hold')"];
  const parameters = [{ name: '@tenantId', value: tenantId }];
  if (filter.storeId !== undefined) {
    where.push('c.ownerId = @storeId');
    parameters.push({ name: '@storeId', value: filter.storeId });
  }
  if (filter.currency !== undefined) {
    where.push('c.currency = @currency');
    parameters.push({ name: '@currency', value: filter.currency });
  }
  const { resources } = await deps.store.balances.items.query<BalanceDoc>({ query: `SELECT * FROM c WHERE ${where.join(' AND ')}`, parameters }).fetchAll();
  const byKey = new Map<string, { storeId: string; currency: string; available: number; held: number; updatedAt: string }>();
  for (const b of resources) {
    const key = `${b.ownerId}\n${b.currency}`;
    const row = byKey.get(key) ?? { storeId: b.ownerId, currency: b.currency, available: 0, held: 0, updatedAt: b.updatedAt };
    if (b.kind === 'store') row.available += b.balanceMinor;
    else row.held += b.balanceMinor;
    if (b.updatedAt > row.updatedAt) row.updatedAt = b.updatedAt;
    byKey.set(key, row);
  }
  return [...byKey.values()]
    .sort((a, b) => a.storeId.localeCompare(b.storeId) || a.currency.localeCompare(b.currency))
    .map((r) => ({ storeId: r.storeId, currency: r.currency, available: formatAmount({ currency: r.currency, minor: r.available }), held: formatAmount({ currency: r.currency, minor: r.held }), updatedAt: r.updatedAt }));
}

/** The store a balance read covers: the one named (by the key or the query), else the merchant's default store. */
export async function resolveStore(deps: Pick<OrderDeps, 'store'>, tenantId: string, storeId: string | undefined): Promise<string> {
  if (storeId !== undefined) return storeId;
  const merchant = await readItem<MerchantDoc>(deps.store.merchants, tenantId, tenantId);
  if (!merchant || merchant.type !== 'merchant') throw notFound('Merchant');
  return merchant.defaultStoreId;
}

export interface BalanceLine {
  at: string;
  /** Position of the posting in the account (1, 2, …). */
  seq: number;
  orderId: string;
  /** Which posting set: `hold`, `refund`, `settle`, `deposit`. */
  kind: string;
  /** Signed decimal string: positive credits the store. */
  amount: string;
  balanceAfter: string;
}

const kindOf = (p: PostingDoc) => p.journalId.slice(p.journalId.lastIndexOf(':') + 1);
const lineOf = (p: PostingDoc): BalanceLine => ({
  at: p.at,
  seq: p.seq,
  orderId: p.orderId,
  kind: kindOf(p),
  amount: formatAmount({ currency: p.currency, minor: p.amountMinor }),
  balanceAfter: formatAmount({ currency: p.currency, minor: p.balanceAfterMinor }),
});

function requireCurrency(currency: string): void {
  if (!isSupportedCurrency(currency)) throw badRequest(`Unsupported currency ${currency}`, { field: 'currency' });
}

/** The available balance's history, newest first, one page at a time. */
export async function balanceHistory(
  deps: Pick<OrderDeps, 'store'>,
  tenantId: string,
  storeId: string,
  currency: string,
  page: { limit: number; continuation?: string | undefined },
): Promise<Page<BalanceLine>> {
  requireCurrency(currency);
  const accountId = storeAccount(tenantId, storeId, currency).accountId;
  const result = await queryPage<PostingDoc>(
    deps.store.balances,
    {
      query: "SELECT * FROM c WHERE c.type = 'posting' AND c.tenantId = @tenantId AND c.accountId = @accountId ORDER BY c.seq DESC",
      parameters: [
        { name: '@tenantId', value: tenantId },
        { name: '@accountId', value: accountId },
      ],
    },
    { ...page, partitionKey: accountId },
  );
  return { items: result.items.map(lineOf), ...(result.continuation ? { continuation: result.continuation } : {}) };
}

/** Most postings per balance one statement holds (the answer is built in memory). */
export const STATEMENT_MAX_LINES = 50_000;

const STATEMENT_COLUMNS = ['at', 'account', 'seq', 'orderId', 'kind', 'amount', 'balanceAfter', 'currency'] as const;

/** RFC 4180 field: quoted when it holds a comma, quote or line break; a leading = + or @ is defused for spreadsheets (a minus is a plain negative amount). */
function csvField(value: string | number): string {
  let text = String(value);
  if (typeof value === 'string' && /^[=+@]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * The statement of one store and currency for `[from, to]`: every posting on the available
 * (`account=available`) and held (`account=held`) balances, oldest first, as CSV with a header line.
 */
export async function storeStatementCsv(
  deps: Pick<OrderDeps, 'store'>,
  tenantId: string,
  storeId: string,
  currency: string,
  period: { from: string; to: string },
): Promise<string> {
  requireCurrency(currency);
  const accounts = [
    { name: 'available', accountId: storeAccount(tenantId, storeId, currency).accountId },
    { name: 'held', accountId: storeHoldAccount(tenantId, storeId, currency).accountId },
  ];
  const lines = (
    await Promise.all(
      accounts.map(async ({ name, accountId }) => {
        const { resources } = await deps.store.balances.items
          .query<PostingDoc>(
            {
              query: "SELECT TOP @top * FROM c WHERE c.type = 'posting' AND c.tenantId = @tenantId AND c.accountId = @accountId AND c.at >= @from AND c.at <= @to ORDER BY c.seq ASC",
              parameters: [
                { name: '@top', value: STATEMENT_MAX_LINES + 1 },
                { name: '@tenantId', value: tenantId },
                { name: '@accountId', value: accountId },
                { name: '@from', value: period.from },
                { name: '@to', value: period.to },
              ],
            },
            { partitionKey: accountId },
          )
          .fetchAll();
        // Never a silently cut statement: a period too long for one answer is refused, naming the limit.
        if (resources.length > STATEMENT_MAX_LINES) {
          throw new DomainError('statement-too-large', `More than ${STATEMENT_MAX_LINES} postings in this period; ask for a shorter one`, 422, { maxLines: STATEMENT_MAX_LINES });
        }
        return resources.map((p) => ({ account: name, ...lineOf(p), currency: p.currency }));
      }),
    )
  )
    .flat()
    .sort((a, b) => a.at.localeCompare(b.at) || a.account.localeCompare(b.account) || a.seq - b.seq);
  const rows = lines.map((l) => STATEMENT_COLUMNS.map((c) => csvField(l[c])).join(','));
  return [STATEMENT_COLUMNS.join(','), ...rows].join('\r\n') + '\r\n';
}
