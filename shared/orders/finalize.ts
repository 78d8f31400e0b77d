/**
 * The side effects a status implies, done after the status is written and safe
 * to repeat: settle the ledger of a completed order, release the reservation and
 * refund the pay-out hold of a cancelled/expired/failed one. If a process dies
 * after the status write, calling finalizeOrder again (queue retry, orchestration
 * activity, sweeper) finishes the job; a replay changes nothing.
 */
import type { OrderDeps } from './deps';
import type { OrderDoc, OrderPostingKind } from './documents';
import { postLedgerEntries } from './ledger';
import { mutateItem } from './optimistic';
import { consumeReservation, releaseOtherReservations } from './reservation';
import { getOrder } from './order-transition';
import { journalId } from './ledger-postings';
import { readItem } from './store';

/** Records that a posting set is done, so later calls skip straight past it. */
async function markPosted(deps: OrderDeps, order: OrderDoc, kind: OrderPostingKind, journal: string): Promise<OrderDoc> {
  const { doc } = await mutateItem<OrderDoc>(
    deps.store.orders,
    order.id,
    order.tenantId,
    (current) => (current.ledger[kind] ? null : { ...current, ledger: { ...current.ledger, [kind]: journal } }),
    deps.settings.CONCURRENCY_MAX_ATTEMPTS,
  );
  return doc;
}

export async function postAndMark(deps: OrderDeps, order: OrderDoc, kind: OrderPostingKind): Promise<OrderDoc> {
  if (order.ledger[kind]) return order;
  const journal = await postLedgerEntries(deps.store, order, kind, deps.clock, deps.settings.CONCURRENCY_MAX_ATTEMPTS);
  return markPosted(deps, order, kind, journal.id);
}

/**
 * Was the pay-out's hold journal written? Checks the ledger, not only the
 * order's flag: a crash after posting but before flagging must still refund.
 * (Re-posting an existing hold journal just completes its legs.)
 */
async function holdWasPosted(deps: OrderDeps, order: OrderDoc): Promise<boolean> {
  if (order.ledger.hold) return true;
  return (await readItem(deps.store.ledger, journalId(order.id, 'hold'), order.tenantId)) !== undefined;
}

export async function finalizeOrder(deps: OrderDeps, tenantId: string, orderId: string): Promise<OrderDoc> {
  let order = await getOrder(deps, tenantId, orderId);
  const assigned = order.assignment?.requisiteId;
  const attempts = deps.settings.CONCURRENCY_MAX_ATTEMPTS;
  switch (order.status) {
    case 'completed':
      order = await postAndMark(deps, order, 'settle');
      if (assigned) await consumeReservation(deps.store, order.id, assigned, deps.clock);
      await releaseOtherReservations(deps.store, order.id, assigned, deps.clock, attempts);
      return order;
    case 'cancelled':
    case 'expired':
    case 'failed':
      await releaseOtherReservations(deps.store, order.id, undefined, deps.clock, attempts);
      if (order.direction === 'payout' && !order.ledger.settle && (await holdWasPosted(deps, order))) {
        order = await postAndMark(deps, await postAndMark(deps, order, 'hold'), 'refund');
      }
      return order;
    default:
      return order;
  }
}
