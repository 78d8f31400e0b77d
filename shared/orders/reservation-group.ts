/**
 * Group commit of reservations. In one process, orders that want the same
 * requisite queue behind each other (the requisite's ETag allows one writer at a
 * time), so a hot requisite would serve one order per round trip. Instead, the
 * order at the head of the queue takes everyone waiting behind it and reserves
 * for all of them in one transactional batch: each order's reservation record,
 * then the requisite raised by their sum under its ETag. All commit or none does,
 * so each order's reservation is exactly what reserveOnce would have written.
 * Orders the cached version says do not fit, a replayed order (its record
 * exists: 409) and a lone order go through reserveOnce, one by one.
 */
import type { JSONObject } from '@azure/cosmos';
import type { Clock } from '../platform/clock';
import { concurrencyExhausted } from './cosmos-errors';
import { runBatch } from './cosmos-batch';
import { PLATFORM_TENANT, type RequisiteDoc, type ReservationDoc } from './documents';
import { contentionPause } from './optimistic';
import type { RequisiteCache } from './requisite-cache';
import { completePending, raisedRequisite, reservationDoc, reserveOnce, type ReservationRequest, type ReserveResult } from './reservation';
import { dynamicLimitExceeded, requisiteMismatch } from './selection';
import { readItem, type OrdersStore } from './store';

interface Waiter {
  request: ReservationRequest;
  resolve(result: ReserveResult): void;
  reject(error: unknown): void;
}

interface Queue {
  waiting: Waiter[];
  running: boolean;
}

/** Orders one batch reserves at most (a batch holds 100 operations). */
const MAX_GROUP = 50;

/** Queues per store (its KeyedLock identifies the store in this process), per requisite. */
const queues = new WeakMap<object, Map<string, Queue>>();

export function reserveInGroup(store: OrdersStore, request: ReservationRequest, clock: Clock, maxAttempts: number, cache: RequisiteCache | undefined): Promise<ReserveResult> {
  const owner = store.locks ?? store;
  const byRequisite = queues.get(owner) ?? new Map<string, Queue>();
  queues.set(owner, byRequisite);
  let queue = byRequisite.get(request.requisiteId);
  if (!queue) byRequisite.set(request.requisiteId, (queue = { waiting: [], running: false }));
  const result = new Promise<ReserveResult>((resolve, reject) => queue.waiting.push({ request, resolve, reject }));
  if (!queue.running) void drain(store, queue, request.requisiteId, byRequisite, clock, maxAttempts, cache);
  return result;
}

async function drain(
  store: OrdersStore,
  queue: Queue,
  requisiteId: string,
  byRequisite: Map<string, Queue>,
  clock: Clock,
  maxAttempts: number,
  cache: RequisiteCache | undefined,
): Promise<void> {
  queue.running = true;
  try {
    while (queue.waiting.length > 0) {
      const group = queue.waiting.splice(0, MAX_GROUP);
      // Through the requisite's local lock too: this process's releases and edits of it queue with the group.
      const run = () => commitGroup(store, group, clock, maxAttempts, cache);
      await (store.locks ? store.locks.run(`requisite:${requisiteId}`, run) : run());
    }
  } finally {
    queue.running = false;
    if (byRequisite.get(requisiteId) === queue && queue.waiting.length === 0) byRequisite.delete(requisiteId);
  }
}

async function commitGroup(store: OrdersStore, group: Waiter[], clock: Clock, maxAttempts: number, cache: RequisiteCache | undefined): Promise<void> {
  const singles: Waiter[] = [];
  let pending: Waiter[] = [];
  // One entry per order: a second worker for the same order waits for the first's record (reserveOnce finds it).
  for (const w of group) (pending.some((p) => p.request.orderId === w.request.orderId) ? singles : pending).push(w);
  const settled = new Set<Waiter>();
  let known = cache?.latest(group[0]!.request.requisiteId);
  try {
    for (let attempt = 0; pending.length > 1; attempt += 1) {
      if (attempt >= maxAttempts) throw concurrencyExhausted(`requisite ${group[0]!.request.requisiteId}`);
      const requisiteId = group[0]!.request.requisiteId;
      const requisite = known ?? (cache ? await cache.fresh(requisiteId) : await readItem<RequisiteDoc>(store.requisites, requisiteId, PLATFORM_TENANT));
      if (!requisite) break;
      await completePending(store, requisite.pending);
      const now = clock.now();
      const fit: Waiter[] = [];
      let total = 0;
      for (const w of pending) {
        if (requisiteMismatch(requisite, w.request) ?? dynamicLimitExceeded(requisite, total + w.request.amountMinor, now)) singles.push(w);
        else {
          fit.push(w);
          total += w.request.amountMinor;
        }
      }
      pending = [];
      if (fit.length < 2) {
        singles.push(...fit);
        break;
      }
      const reservations = fit.map((w) => reservationDoc(w.request, requisite, now));
      const { next, etag } = raisedRequisite(requisite, fit.map((w) => w.request.amountMinor), now);
      const result = await runBatch(store.requisites, PLATFORM_TENANT, [
        ...reservations.map((r) => ({ operationType: 'Create' as const, resourceBody: r as unknown as JSONObject })),
        { operationType: 'Replace', id: requisite.id, resourceBody: next as unknown as JSONObject, ...(etag ? { ifMatch: etag } : {}) },
      ]);
      if (result.ok) {
        const written = (result.docs[fit.length] as unknown as RequisiteDoc | undefined) ?? next;
        cache?.remember(written);
        fit.forEach((w, i) => settled.add(w) && w.resolve({ reserved: true, reservation: (result.docs[i] as unknown as ReservationDoc | undefined) ?? reservations[i]!, requisite: written }));
        break;
      }
      if (result.failedAt < fit.length && result.status === 409) {
        // That order reserved before (a replay): it gets its record alone; the rest try again on the same version.
        singles.push(fit[result.failedAt]!);
        pending = fit.filter((_, i) => i !== result.failedAt);
        known = requisite;
        continue;
      }
      if (!(result.failedAt === fit.length && result.status === 412)) throw new Error(`reservation batch failed with ${result.status} at operation ${result.failedAt}`);
      pending = fit;
      known = undefined;
      cache?.forget(requisite.id);
      await contentionPause(attempt);
    }
  } catch (error) {
    for (const w of group) if (!settled.has(w) && !singles.includes(w)) w.reject(error);
    pending = [];
  }
  for (const w of [...pending, ...singles]) {
    await reserveOnce(store, w.request, clock, maxAttempts, cache).then(w.resolve, w.reject);
  }
}
