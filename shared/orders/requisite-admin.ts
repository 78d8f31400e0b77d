/**
 * Traders' and admins' changes to requisites. The requisite document also holds
 * the reservation counters that order assignment updates under its ETag
 * (reservation.ts), so every change here is a read-modify-write of the fresh
 * document under an ETag condition: only status, limits and the owner's name
 * change; usage, `pending` and `lastUsedAt` are carried over from what was just
 * read, never from an older copy. A lost race re-reads and re-applies.
 */
import { createHash, randomUUID } from 'node:crypto';
import { DomainError, notFound } from '../errors';
import type { OrderDeps } from './deps';
import { PLATFORM_TENANT, type RequisiteDoc, type TraderDoc } from './documents';
import { isConflict } from './cosmos-errors';
import { mutateItem } from './optimistic';
import { queryPage, type Page } from './paging';
import { bankId } from './reference-data';
import { type CreateRequisiteBody, maskAccountNumber, mergeLimits, patchedStatus, type RequisitePatch } from './requisite-schemas';
import { dayKey, monthKey } from './selection';
import { readItem } from './store';
import { sealRequisiteNumber } from './payment-details/requisite-number';

type Deps = Pick<OrderDeps, 'store' | 'clock' | 'settings' | 'reference' | 'keys'>;

const invalidField = (path: string, message: string) => new DomainError('validation-failed', 'Invalid request body', 400, { errors: [{ path, message }] });

/** `req-` + sha256(trader, Idempotency-Key) when the caller sent one, so a retried create makes one requisite. */
export function newRequisiteId(traderId: string, idempotencyKey: string | null): string {
  if (!idempotencyKey) return `req-${randomUUID()}`;
  if (!/^[\x21-\x7e]{1,255}$/.test(idempotencyKey)) {
    throw new DomainError('bad-request', 'Idempotency-Key must be 1-255 visible ASCII characters', 400, { header: 'Idempotency-Key' });
  }
  return `req-${createHash('sha256').update(`${traderId}\n${idempotencyKey}`).digest('hex').slice(0, 32)}`;
}

/** Creates a requisite owned by `traderId` (status active). Creating an existing id returns that requisite if it is the trader's. */
export async function createRequisite(deps: Deps, traderId: string, id: string, body: CreateRequisiteBody): Promise<{ doc: RequisiteDoc; created: boolean }> {
  // A token whose subject names no trader record would only make requisites selection can never use.
  const trader = await readItem<TraderDoc>(deps.store.traders, traderId, PLATFORM_TENANT);
  if (!trader || trader.type !== 'trader') throw new DomainError('trader-unknown', 'No trader record for this user; ask an admin to create one', 403);
  const method = await deps.reference.paymentMethod(body.method);
  if (!method?.active) throw invalidField('method', `unknown or inactive payment method '${body.method}'`);
  const bank = await deps.reference.bank(bankId(body.bank));
  if (!bank?.active) throw invalidField('bank', `unknown or inactive bank '${body.bank}'`);
  const limits = mergeLimits(body.currency, { minOrderMinor: 0, maxOrderMinor: 0, dailyLimitMinor: 0, monthlyLimitMinor: 0 }, body);
  const now = deps.clock.now();
  const at = now.toISOString();
  const doc: RequisiteDoc = {
    id,
    type: 'requisite',
    tenantId: PLATFORM_TENANT,
    traderId,
    method: body.method,
    bankId: bank.id,
    currency: body.currency,
    directions: body.directions ? [...new Set(body.directions)] : ['payin', 'payout'],
    displayNumber: maskAccountNumber(body.accountNumber),
    sealedNumber: sealRequisiteNumber(deps.keys, id, body.accountNumber),
    holderName: body.ownerName,
    ...limits,
    status: 'active',
    lastUsedAt: null,
    usage: { day: dayKey(now), dayMinor: 0, month: monthKey(now), monthMinor: 0 },
    createdAt: at,
    updatedAt: at,
  };
  try {
    const { resource } = await deps.store.requisites.items.create<RequisiteDoc>(doc);
    return { doc: resource ?? doc, created: true };
  } catch (error) {
    if (!isConflict(error)) throw error;
    const existing = await readItem<RequisiteDoc>(deps.store.requisites, id, PLATFORM_TENANT);
    if (!existing || existing.type !== 'requisite' || existing.traderId !== traderId) throw error;
    return { doc: existing, created: false };
  }
}

export interface RequisiteFilter {
  traderId?: string | undefined;
  status?: RequisiteDoc['status'] | undefined;
}

/** Requisites (never reservation docs) matching `filter`, one page at a time; single-partition query. */
export function listRequisites(deps: Pick<OrderDeps, 'store'>, filter: RequisiteFilter, page: { limit: number; continuation?: string | undefined }): Promise<Page<RequisiteDoc>> {
  const where = ['c.tenantId = @tenantId', "c.type = 'requisite'"];
  const parameters: { name: string; value: string }[] = [{ name: '@tenantId', value: PLATFORM_TENANT }];
  if (filter.traderId !== undefined) {
    where.push('c.traderId = @traderId');
    parameters.push({ name: '@traderId', value: filter.traderId });
  }
  if (filter.status !== undefined) {
    where.push('c.status = @status');
    parameters.push({ name: '@status', value: filter.status });
  }
  return queryPage<RequisiteDoc>(deps.store.requisites, { query: `SELECT * FROM c WHERE ${where.join(' AND ')} ORDER BY c.id`, parameters }, { ...page, partitionKey: PLATFORM_TENANT });
}

/** Who is changing the requisite: its owner (a trader) or an admin. */
export type RequisiteEditor = { kind: 'owner'; traderId: string } | { kind: 'admin' };

/**
 * Applies status/limit changes. An owner sees only his own requisites (404 for
 * others', so ids of other traders' requisites are not confirmed) and cannot
 * lift an admin's block (409 `requisite-blocked`).
 */
export async function updateRequisite(deps: Deps, id: string, patch: RequisitePatch, editor: RequisiteEditor): Promise<RequisiteDoc> {
  const visible = (doc: RequisiteDoc | undefined): doc is RequisiteDoc =>
    doc !== undefined && doc.type === 'requisite' && (editor.kind === 'admin' || doc.traderId === editor.traderId);
  const known = await readItem<RequisiteDoc>(deps.store.requisites, id, PLATFORM_TENANT);
  if (!visible(known)) throw notFound('Requisite');
  const write = () =>
    mutateItem<RequisiteDoc>(
      deps.store.requisites,
      id,
      PLATFORM_TENANT,
      (current) => {
        if (!visible(current)) throw notFound('Requisite');
        if (editor.kind === 'owner' && current.status === 'blocked' && patch.status !== undefined) {
          throw new DomainError('requisite-blocked', 'An admin blocked this requisite; only an admin can change its status', 409, { currentStatus: 'blocked' });
        }
        const limits = mergeLimits(current.currency, current, patch);
        // `current` is the document just read: its usage, pending op and lastUsedAt go back unchanged.
        return {
          ...current,
          ...limits,
          status: patchedStatus(patch.status, current.status),
          ...(patch.ownerName === undefined ? {} : { holderName: patch.ownerName }),
          updatedAt: deps.clock.now().toISOString(),
        };
      },
      deps.settings.CONCURRENCY_MAX_ATTEMPTS,
      known, // a stale copy only costs a 412 and a fresh read
    );
  // Same in-process queue key as reservation.ts, so this process's reservations and edits take turns instead of racing.
  const { doc } = await (deps.store.locks ? deps.store.locks.run(`requisite:${id}`, write) : write());
  return doc;
}
