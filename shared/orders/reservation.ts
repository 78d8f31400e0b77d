/**
 * Reserving a requisite's limits for one order, without locks.
 *
 * The requisite document holds the usage counters; an ETag-conditional replace
 * makes "check limits + add amount" atomic, so concurrent orders can never push
 * usage past a limit (this replaces SELECT ... FOR UPDATE SKIP LOCKED).
 * The reservation doc (`reservation:{orderId}:{requisiteId}`) makes it idempotent.
 * It is keyed by requisite too, so a worker that finds a requisite contended can
 * move on to the next one (what SKIP LOCKED gives SQL) without ever colliding with
 * another worker's reservation; whoever assigns the order releases the strays.
 * A reservation is one transactional batch in the requisites' partition: create
 * the reservation doc + replace the requisite under its ETag. Both commit or
 * neither does, so a crash leaves either nothing or a complete reservation, and a
 * replay finds its reservation doc (409) instead of counting again.
 * A release still writes ahead (the requisite's replace stores the operation in
 * `pending`; whoever writes the requisite next completes it), so a crash between
 * its two writes gives nothing back twice.
 */
import type { Clock } from '../platform/clock';
import { PLATFORM_TENANT, type PendingReservationOp, type RequisiteDoc, type ReservationDoc } from './documents';
import { concurrencyExhausted, isConflict, isPreconditionFailed } from './cosmos-errors';
import { completedWrites } from './completed-writes';
import { contentionPause } from './optimistic';
import { dynamicLimitExceeded, requisiteMismatch, rollUsage } from './selection';
import { ifMatch, readItem, type OrdersStore } from './store';
import { runBatch } from './cosmos-batch';
import type { RequisiteCache } from './requisite-cache';
import type { JSONObject } from '@azure/cosmos';
import { reserveInGroup } from './reservation-group';
import type { OrderDirection } from './schemas';

export const reservationId = (orderId: string, requisiteId: string) => `reservation:${orderId}:${requisiteId}`;

export interface ReservationRequest {
  orderId: string;
  orderTenantId: string;
  requisiteId: string;
  direction: OrderDirection;
  method: string;
  currency: string;
  amountMinor: number;
}

export type ReserveResult =
  | { reserved: true; reservation: ReservationDoc; requisite: RequisiteDoc }
  | { reserved: false; reason: string };

/** Writes the reservation doc a committed requisite write promised (idempotent). */
export async function completePending(store: OrdersStore, pending: PendingReservationOp | undefined): Promise<void> {
  if (!pending) return;
  const key = `${store.requisites.database.id}/${pending.op}:${pending.reservation.id}`;
  if (completedWrites.has(key)) return;
  await writePending(store, pending);
  completedWrites.add(key);
}

async function writePending(store: OrdersStore, pending: PendingReservationOp): Promise<void> {
  if (pending.op === 'reserve') {
    try {
      await store.requisites.items.create(pending.reservation);
    } catch (error) {
      if (!isConflict(error)) throw error; // 409: already written
    }
    return;
  }
  const current = await readItem<ReservationDoc>(store.requisites, pending.reservation.id, PLATFORM_TENANT);
  if (current && current.state === 'held') {
    try {
      await store.requisites.item(current.id, PLATFORM_TENANT).replace({ ...current, state: 'released', updatedAt: pending.reservation.updatedAt }, ifMatch(current._etag));
    } catch (error) {
      if (!isPreconditionFailed(error)) throw error; // someone else completed it
    }
  }
}

/** The order's reservation on one requisite, completing a pending write first if one is in flight. */
export async function findReservation(store: OrdersStore, orderId: string, requisiteId: string): Promise<ReservationDoc | undefined> {
  const id = reservationId(orderId, requisiteId);
  const found = await readItem<ReservationDoc>(store.requisites, id, PLATFORM_TENANT);
  if (found) return found;
  const requisite = await readItem<RequisiteDoc>(store.requisites, requisiteId, PLATFORM_TENANT);
  if (requisite?.pending?.reservation.id !== id) return undefined;
  await completePending(store, requisite.pending);
  return readItem<ReservationDoc>(store.requisites, id, PLATFORM_TENANT);
}

/** Every reservation an order holds or held (normally one; more if racing workers reserved on several requisites). */
export async function listReservations(store: OrdersStore, orderId: string): Promise<ReservationDoc[]> {
  const { resources } = await store.requisites.items
    .query<ReservationDoc>(
      {
        query: "SELECT * FROM c WHERE c.tenantId = @tenantId AND c.type = 'reservation' AND c.orderId = @orderId",
        parameters: [
          { name: '@tenantId', value: PLATFORM_TENANT },
          { name: '@orderId', value: orderId },
        ],
      },
      { partitionKey: PLATFORM_TENANT },
    )
    .fetchAll();
  return resources;
}

/** Releases the order's held reservations except the one on `keepRequisiteId` (all of them if undefined). */
export async function releaseOtherReservations(
  store: OrdersStore,
  orderId: string,
  keepRequisiteId: string | undefined,
  clock: Clock,
  maxAttempts: number,
): Promise<number> {
  const strays = (await listReservations(store, orderId)).filter((r) => r.state === 'held' && r.requisiteId !== keepRequisiteId);
  for (const r of strays) await releaseReservation(store, orderId, r.requisiteId, clock, maxAttempts);
  return strays.length;
}

/**
 * Reserves `amountMinor` of the requisite's daily and monthly limits for the
 * order. Reserving an order that already has a reservation returns that one.
 */
export async function reserveRequisite(
  store: OrdersStore,
  request: ReservationRequest,
  clock: Clock,
  maxAttempts: number,
  /** The process's latest requisite versions: saves the read when current (see requisite-cache.ts). */
  cache?: RequisiteCache,
): Promise<ReserveResult> {
  // In a process with the local write queue, orders waiting for the same requisite commit together (reservation-group.ts).
  if (store.locks) return reserveInGroup(store, request, clock, maxAttempts, cache);
  return reserveOnce(store, request, clock, maxAttempts, cache);
}

const withLock = <T>(store: OrdersStore, requisiteId: string, fn: () => Promise<T>): Promise<T> =>
  store.locks ? store.locks.run(`requisite:${requisiteId}`, fn) : fn();

export async function reserveOnce(
  store: OrdersStore,
  request: ReservationRequest,
  clock: Clock,
  maxAttempts: number,
  cache: RequisiteCache | undefined,
): Promise<ReserveResult> {
  const id = reservationId(request.orderId, request.requisiteId);
  let known = cache?.latest(request.requisiteId);
  for (let attempt = 0; attempt < maxAttempts; attempt += 1) {
    const requisite = known ?? (cache ? await cache.fresh(request.requisiteId) : await readItem<RequisiteDoc>(store.requisites, request.requisiteId, PLATFORM_TENANT));
    if (!requisite) return (await heldReservation(store, id, undefined)) ?? { reserved: false, reason: 'requisite-missing' };
    await completePending(store, requisite.pending);
    const now = clock.now();
    // Trader activity is the selector's concern; here the requisite's own rules are re-checked.
    const mismatch = requisiteMismatch(requisite, request) ?? dynamicLimitExceeded(requisite, request.amountMinor, now);
    if (mismatch) {
      // A cached copy may be stale: only a fresh read may say no.
      if (requisite === known) {
        known = undefined;
        continue;
      }
      // The order may already hold this requisite's volume (a crashed attempt): that reservation stands.
      return (await heldReservation(store, id, requisite)) ?? { reserved: false, reason: mismatch };
    }
    const reservation = reservationDoc(request, requisite, now);
    const { next, etag } = raisedRequisite(requisite, [request.amountMinor], now);
    // The reservation record and the counters it accounts for commit together, or neither does.
    const result = await runBatch(store.requisites, PLATFORM_TENANT, [
      { operationType: 'Create', resourceBody: reservation as unknown as JSONObject },
      { operationType: 'Replace', id: requisite.id, resourceBody: next as unknown as JSONObject, ...(etag ? { ifMatch: etag } : {}) },
    ]);
    if (result.ok) {
      const written = (result.docs[1] as unknown as RequisiteDoc | undefined) ?? next;
      cache?.remember(written);
      return { reserved: true, reservation: (result.docs[0] as unknown as ReservationDoc | undefined) ?? reservation, requisite: written };
    }
    if (result.failedAt === 0 && result.status === 409) {
      // Reserved before (a replay or a racing worker): that one is the answer.
      return (await heldReservation(store, id, requisite, true)) ?? { reserved: false, reason: 'already-released' };
    }
    if (!(result.failedAt === 1 && result.status === 412)) throw new Error(`reservation batch failed with ${result.status} at operation ${result.failedAt}`);
    known = undefined;
    cache?.forget(requisite.id);
    await contentionPause(attempt);
  }
  throw concurrencyExhausted(`requisite ${request.requisiteId}`);
}

/** The reservation record of `request` on `requisite` as of `now`. */
export function reservationDoc(request: ReservationRequest, requisite: RequisiteDoc, now: Date): ReservationDoc {
  const usage = rollUsage(requisite.usage, now);
  const at = now.toISOString();
  return {
    id: reservationId(request.orderId, request.requisiteId),
    type: 'reservation',
    tenantId: PLATFORM_TENANT,
    orderId: request.orderId,
    orderTenantId: request.orderTenantId,
    requisiteId: requisite.id,
    traderId: requisite.traderId,
    amountMinor: request.amountMinor,
    currency: request.currency,
    day: usage.day,
    month: usage.month,
    state: 'held',
    createdAt: at,
    updatedAt: at,
  };
}

/** The requisite with `amounts` added to today's and this month's counters (its pending record completed before). */
export function raisedRequisite(requisite: RequisiteDoc, amounts: readonly number[], now: Date): { next: RequisiteDoc; etag: string | undefined } {
  const usage = rollUsage(requisite.usage, now);
  const total = amounts.reduce((sum, a) => sum + a, 0);
  const { _etag: etag, pending: _done, ...rest } = requisite;
  void _done; // completed by the caller; a reservation batch needs no pending record
  return {
    next: { ...rest, usage: { ...usage, dayMinor: usage.dayMinor + total, monthMinor: usage.monthMinor + total }, lastUsedAt: now.toISOString() },
    etag,
  };
}

/** The order's reservation if it still counts (held or consumed), as a reserve result. */
async function heldReservation(store: OrdersStore, id: string, requisite: RequisiteDoc | undefined, exists = false): Promise<ReserveResult | undefined> {
  const found = await readItem<ReservationDoc>(store.requisites, id, PLATFORM_TENANT);
  if (!found) {
    if (exists) throw new Error(`reservation ${id} answered 409 but cannot be read`);
    return undefined;
  }
  if (found.state === 'released') return { reserved: false, reason: 'already-released' };
  const doc = requisite ?? (await readItem<RequisiteDoc>(store.requisites, found.requisiteId, PLATFORM_TENANT));
  return doc ? { reserved: true, reservation: found, requisite: doc } : undefined;
}

/**
 * Gives the order's reserved volume back to the requisite (order cancelled,
 * expired or failed). Idempotent: a released or consumed reservation, or none,
 * is left as it is. Returns the reservation's final state, or undefined if none.
 */
export async function releaseReservation(
  store: OrdersStore,
  orderId: string,
  requisiteId: string,
  clock: Clock,
  maxAttempts: number,
): Promise<ReservationDoc['state'] | undefined> {
  return withLock(store, requisiteId, () => releaseOnce(store, orderId, requisiteId, clock, maxAttempts));
}

async function releaseOnce(store: OrdersStore, orderId: string, requisiteId: string, clock: Clock, maxAttempts: number): Promise<ReservationDoc['state'] | undefined> {
  for (let attempt = 0; attempt < maxAttempts; attempt += 1) {
    const found = await findReservation(store, orderId, requisiteId);
    if (!found || found.state !== 'held') return found?.state;
    const requisite = await readItem<RequisiteDoc>(store.requisites, found.requisiteId, PLATFORM_TENANT);
    if (!requisite) return found.state;
    await completePending(store, requisite.pending);
    // Read the reservation again, after the requisite: a release already counted in this requisite version
    // (the pending one a crashed or racing worker wrote, or an older one, which every writer completes before
    // writing) has marked it released by now. Only a reservation still held here may be given back, under
    // this version's ETag; deciding on the first read would give the same volume back twice.
    const reservation = await readItem<ReservationDoc>(store.requisites, found.id, PLATFORM_TENANT);
    if (!reservation || reservation.state !== 'held') return reservation?.state;
    const at = clock.now().toISOString();
    // Volume of a past day or month has already rolled off the counters; only give back what still counts.
    const usage = requisite.usage;
    const next: RequisiteDoc = {
      ...requisite,
      usage: {
        ...usage,
        dayMinor: usage.day === reservation.day ? Math.max(0, usage.dayMinor - reservation.amountMinor) : usage.dayMinor,
        monthMinor: usage.month === reservation.month ? Math.max(0, usage.monthMinor - reservation.amountMinor) : usage.monthMinor,
      },
      pending: { op: 'release', orderId, reservation: { ...reservation, state: 'released', updatedAt: at } },
    };
    try {
      await store.requisites.item(requisite.id, PLATFORM_TENANT).replace<RequisiteDoc>(next, ifMatch(requisite._etag));
      await completePending(store, next.pending);
      return 'released';
    } catch (error) {
      if (!isPreconditionFailed(error)) throw error;
      await contentionPause(attempt);
    }
  }
  throw concurrencyExhausted(`requisite ${requisiteId}`);
}

/** Marks a held reservation as consumed by a completed order (its volume stays counted). Idempotent. */
export async function consumeReservation(store: OrdersStore, orderId: string, requisiteId: string, clock: Clock): Promise<void> {
  const reservation = await findReservation(store, orderId, requisiteId);
  if (!reservation || reservation.state !== 'held') return;
  try {
    await store.requisites
      .item(reservation.id, PLATFORM_TENANT)
      .replace({ ...reservation, state: 'consumed', updatedAt: clock.now().toISOString() }, ifMatch(reservation._etag));
  } catch (error) {
    if (!isPreconditionFailed(error)) throw error; // a concurrent consume won; same outcome
  }
}
