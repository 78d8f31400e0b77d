/**
 * Assigning an order to a requisite: the queue handler's (or orchestration
 * activity's) one call. Steps, each safe to repeat:
 *   1. already past `new`/`retrying`? nothing to do;  expired? expire it.
 *   2. pay-out: make sure the store's funds are held.
 *   3. apply the fraud decision made at create (decide it here if it is missing).
 *   4. resume a claim left by a crashed attempt, else rank candidates
 *      (priority, then least recently used) and for each: claim it on the order
 *      (ETag), reserve its limits (one batch, see reservation.ts), write `assigned`
 *      with the fixed quote (under the ETag of the claim write: no read between).
 *   5. nothing fits: `retrying` with a backoff, or `failed` after MAX_ORDER_RETRIES.
 * The claim is written before the reservation, so after a crash between the
 * two the next attempt finds it and finishes the same reservation: the order is
 * neither lost nor reserved twice.
 */
import { DomainError } from '../errors';
import type { OrderDeps } from './deps';
import { type OrderDoc, type RequisiteDoc, type ReservationDoc, type TraderDoc } from './documents';
import { decideOnCounts, ensurePayoutHold } from './create-order';
import { expireOrder } from './expiry';
import { finalizeOrder } from './finalize';
import { contentionPause, mutateItem } from './optimistic';
import { concurrencyExhausted } from './cosmos-errors';
import { getOrder, historyEntry, transitionOrder } from './order-transition';
import { computeQuote } from './quote';
import { releaseReservation, reserveRequisite, type ReserveResult } from './reservation';
import { SYSTEM_ACTOR } from './schemas';
import { rankCandidates, type Candidate } from './selection';
import { nextStatus } from './transitions';
import { retryDelaySeconds } from './settings';
import { countVelocityByQuery } from './velocity';
import { recordOrderAssignment } from '../platform/metrics';

export type AssignOutcome = 'assigned' | 'retrying' | 'review' | 'failed' | 'expired' | 'unchanged';

export interface AssignResult {
  outcome: AssignOutcome;
  order: OrderDoc;
  /** When `retrying`: schedule the next attempt at this time. */
  nextAttemptAt?: string;
}

const WAITING = ['new', 'retrying'];

export async function assignOrder(deps: OrderDeps, tenantId: string, orderId: string): Promise<AssignResult> {
  let order = await getOrder(deps, tenantId, orderId);
  if (!WAITING.includes(order.status)) return { outcome: 'unchanged', order };
  // A delivery before the scheduled retry time is a duplicate of the attempt that scheduled it.
  if (order.status === 'retrying' && order.nextAttemptAt && deps.clock.now().toISOString() < order.nextAttemptAt) {
    return { outcome: 'unchanged', order, nextAttemptAt: order.nextAttemptAt };
  }
  if (deps.clock.now().toISOString() >= order.expiresAt) {
    const expired = await expireOrder(deps, tenantId, orderId);
    return { outcome: expired.status === 'expired' ? 'expired' : 'unchanged', order: expired };
  }
  if (order.direction === 'payout') {
    try {
      order = await ensurePayoutHold(deps, order);
    } catch (error) {
      if (error instanceof DomainError && error.code === 'insufficient-balance') {
        return { outcome: 'failed', order: await getOrder(deps, tenantId, orderId) };
      }
      throw error;
    }
  }
  order = await recordFraudCheck(deps, order);
  const fraud = order.fraud;
  if (fraud?.decision === 'DENY') {
    return unlessOvertaken(deps, order, async () => {
      await transitionOrder(deps, tenantId, orderId, 'fail', SYSTEM_ACTOR, () => ({ failureReason: 'fraud-denied' }));
      return { outcome: 'failed', order: await finalizeOrder(deps, tenantId, orderId) };
    });
  }
  if (fraud?.decision === 'REVIEW' && !order.history.some((h) => h.event === 'approve_review')) {
    return unlessOvertaken(deps, order, async () => ({
      outcome: 'review',
      order: await transitionOrder(deps, tenantId, orderId, 'hold_for_review', SYSTEM_ACTOR),
    }));
  }
  return (await assignToRequisite(deps, order)) ?? retryOrFail(deps, order);
}

/** Runs a step; if another worker (or a person) moved the order first, answers `unchanged` instead of 409. */
async function unlessOvertaken(deps: OrderDeps, order: OrderDoc, step: () => Promise<AssignResult>): Promise<AssignResult> {
  try {
    return await step();
  } catch (error) {
    if (!(error instanceof DomainError && error.code === 'illegal-transition')) throw error;
    return { outcome: 'unchanged', order: await getOrder(deps, order.tenantId, order.id) };
  }
}

/**
 * The fraud decision is made when the order is created (create-order.ts); an
 * order without one (created before, or its decision lost to a crash) is decided
 * here, on counts taken from the orders themselves. Stored and audited once.
 */
async function recordFraudCheck(deps: OrderDeps, order: OrderDoc): Promise<OrderDoc> {
  if (order.fraud) return order;
  return decideOnCounts(deps, order, await countVelocityByQuery(deps.store, order, deps.settings.FRAUD_VELOCITY_WINDOW_MINUTES));
}

/**
 * Requisites that may take the order, best first, from the process's requisite
 * cache. When none fits the cached versions, the list is read again once: volume
 * given back since (expiries, cancellations) counts before the order waits.
 */
async function findCandidates(deps: OrderDeps, order: OrderDoc, traders: ReadonlyMap<string, TraderDoc>, refresh: boolean): Promise<Candidate[]> {
  const cache = deps.reference.requisites;
  if (refresh) cache.clear();
  return rankCandidates(await cache.all(), traders, order, deps.clock.now());
}

/**
 * Puts this requisite's claim on the order; answers the claim the order actually
 * carries (maybe another attempt's), undefined if it no longer waits, and the order as written.
 */
async function claim(deps: OrderDeps, order: OrderDoc, candidate: Candidate): Promise<{ claim: OrderDoc['claim'] | undefined; order: OrderDoc }> {
  const { doc } = await mutateItem<OrderDoc>(
    deps.store.orders,
    order.id,
    order.tenantId,
    (current) => {
      if (!WAITING.includes(current.status) || current.claim) return null;
      const at = deps.clock.now().toISOString();
      return { ...current, claim: { requisiteId: candidate.requisite.id, traderId: candidate.trader.id, at } };
    },
    deps.settings.CONCURRENCY_MAX_ATTEMPTS,
    order,
  );
  return { claim: WAITING.includes(doc.status) ? doc.claim : undefined, order: doc };
}

async function dropClaim(deps: OrderDeps, order: OrderDoc, requisiteId: string): Promise<OrderDoc> {
  const { doc } = await mutateItem<OrderDoc>(
    deps.store.orders,
    order.id,
    order.tenantId,
    (current) =>
      current.claim?.requisiteId === requisiteId
        ? // Remembered: a racing worker may still reserve it for this order; the assignment gives that back.
          { ...current, claim: undefined, droppedClaims: [...new Set([...(current.droppedClaims ?? []), requisiteId])] }
        : null,
    deps.settings.CONCURRENCY_MAX_ATTEMPTS,
    order,
  );
  return doc;
}

/** Reservation attempts on one requisite before treating it as contended and trying the next. */
const ATTEMPTS_PER_REQUISITE = 4;

const isContention = (error: unknown) => error instanceof DomainError && error.code === 'concurrency-conflict';

/**
 * Tries the order's existing claim, then every candidate, best first. A
 * requisite other workers are hammering is skipped for this pass (like SKIP
 * LOCKED); passes repeat while something was skipped. Undefined: nothing fits.
 */
async function assignToRequisite(deps: OrderDeps, order: OrderDoc): Promise<AssignResult | undefined> {
  const traders = await deps.reference.traders();
  const rate = await deps.reference.exchangeRate(deps.settings.SETTLEMENT_CURRENCY, order.currency);
  const passes = Math.max(1, Math.ceil(deps.settings.CONCURRENCY_MAX_ATTEMPTS / ATTEMPTS_PER_REQUISITE));
  let pendingClaim = order.claim;
  // The order as this attempt last read or wrote it: each write starts from it instead of reading again.
  let latest = order;
  for (let pass = 0; pass < passes; pass += 1) {
    const tried = new Set<string>();
    let candidates: Candidate[] | undefined;
    let contended = false;
    let refreshed = false;
    for (;;) {
      if (!pendingClaim) {
        candidates ??= await findCandidates(deps, order, traders, false);
        let next = candidates.find((c) => !tried.has(c.requisite.id));
        if (!next && !refreshed && !contended) {
          refreshed = true;
          candidates = await findCandidates(deps, order, traders, true);
          next = candidates.find((c) => !tried.has(c.requisite.id));
        }
        if (!next) break;
        deps.reference.requisites.chose(next.requisite.id);
        ({ claim: pendingClaim, order: latest } = await claim(deps, latest, next));
        if (!pendingClaim) return { outcome: 'unchanged', order: await getOrder(deps, order.tenantId, order.id) };
      }
      const { requisiteId, traderId } = pendingClaim;
      tried.add(requisiteId);
      const trader = traders.get(traderId);
      let reserved: ReserveResult;
      try {
        reserved = await reserveRequisite(
          deps.store,
          { orderId: order.id, orderTenantId: order.tenantId, requisiteId, direction: order.direction, method: order.method, currency: order.currency, amountMinor: order.amountMinor },
          deps.clock,
          ATTEMPTS_PER_REQUISITE,
          deps.reference.requisites,
        );
      } catch (error) {
        if (!isContention(error)) throw error;
        contended = true;
        reserved = { reserved: false, reason: 'contended' };
      }
      if (reserved.reserved && trader) {
        return finishAssignment(deps, latest, trader, reserved.requisite, reserved.reservation, rate);
      }
      deps.logger.info('order requisite skipped', { orderId: order.id, requisiteId, reason: reserved.reserved ? 'trader-missing' : reserved.reason });
      if (reserved.reserved) await releaseReservation(deps.store, order.id, requisiteId, deps.clock, deps.settings.CONCURRENCY_MAX_ATTEMPTS);
      latest = await dropClaim(deps, latest, requisiteId);
      pendingClaim = undefined;
    }
    if (!contended) return undefined;
    await contentionPause(pass + 2);
  }
  throw concurrencyExhausted(`requisites for order ${order.id}`);
}

async function finishAssignment(
  deps: OrderDeps,
  order: OrderDoc,
  trader: TraderDoc,
  requisite: RequisiteDoc,
  reservation: ReservationDoc,
  rate: { base: string; quote: string; rate: string },
): Promise<AssignResult> {
  const quote = computeQuote({
    direction: order.direction,
    amountMinor: order.amountMinor,
    currency: order.currency,
    storeCommission: { payinBps: order.storeCommissionBps, payoutBps: order.storeCommissionBps },
    traderCommission: trader.commission,
    rate,
    settlementCurrency: deps.settings.SETTLEMENT_CURRENCY,
  });
  const now = deps.clock.now();
  try {
    const assigned = await transitionOrder(deps, order.tenantId, order.id, 'assign', SYSTEM_ACTOR, () => ({
      claim: undefined,
      nextAttemptAt: undefined,
      // An earlier attempt's "nothing fits" no longer describes the order.
      failureReason: undefined,
      assignment: {
        requisiteId: requisite.id,
        traderId: trader.id,
        ...(trader.teamLeadId ? { teamLeadId: trader.teamLeadId } : {}),
        bankId: requisite.bankId,
        method: requisite.method,
        displayNumber: requisite.displayNumber,
        holderName: requisite.holderName,
        assignedAt: now.toISOString(),
        ...(requisite.sealedNumber ? { sealedNumber: requisite.sealedNumber } : {}),
      },
      quote,
      expiresAt: new Date(now.getTime() + deps.settings.ORDER_TIMEOUT_MINUTES * 60_000).toISOString(),
    }), `reservation ${reservation.id}`, order);
    // A racing worker may have reserved this order on a claim dropped since: give those back.
    for (const dropped of assigned.droppedClaims ?? []) {
      if (dropped !== requisite.id) await releaseReservation(deps.store, order.id, dropped, deps.clock, deps.settings.CONCURRENCY_MAX_ATTEMPTS);
    }
    recordOrderAssignment(order.direction, now.getTime() - Date.parse(order.createdAt));
    return { outcome: 'assigned', order: assigned };
  } catch (error) {
    if (!(error instanceof DomainError && error.code === 'illegal-transition')) throw error;
    const current = await getOrder(deps, order.tenantId, order.id);
    // A concurrent attempt for the same order finished the same reservation first: nothing to undo.
    if (current.assignment?.requisiteId === requisite.id) return { outcome: 'unchanged', order: current };
    // Cancelled or expired while we reserved: give the volume back.
    await releaseReservation(deps.store, order.id, requisite.id, deps.clock, deps.settings.CONCURRENCY_MAX_ATTEMPTS);
    return { outcome: 'unchanged', order: await finalizeOrder(deps, order.tenantId, order.id) };
  }
}

/**
 * Counts a failed attempt: `retrying` with a backoff, or `failed` once
 * MAX_ORDER_RETRIES is spent. Decided on the fresh read it writes, so two
 * workers running the same attempt (a duplicated delivery) count it once.
 */
async function retryOrFail(deps: OrderDeps, order: OrderDoc): Promise<AssignResult> {
  const s = deps.settings;
  const now = deps.clock.now();
  try {
    const { doc } = await mutateItem<OrderDoc>(
      deps.store.orders,
      order.id,
      order.tenantId,
      (current) => {
        if (current.status === 'retrying' && (current.nextAttemptAt ?? '') > now.toISOString()) return null;
        const exhausted = current.retryCount + 1 > s.MAX_ORDER_RETRIES;
        const step = exhausted ? 'fail' : 'retry';
        const to = nextStatus(current, step, SYSTEM_ACTOR);
        const nextAttemptAt = new Date(now.getTime() + retryDelaySeconds(current.retryCount, s) * 1000).toISOString();
        const entry = historyEntry(deps, SYSTEM_ACTOR, step, { from: current.status, to, reason: 'no-requisite-available' });
        return {
          ...current,
          status: to,
          retryCount: exhausted ? current.retryCount : current.retryCount + 1,
          nextAttemptAt: exhausted ? undefined : nextAttemptAt,
          failureReason: 'no-requisite-available',
          updatedAt: now.toISOString(),
          history: [...current.history, entry],
        };
      },
      s.CONCURRENCY_MAX_ATTEMPTS,
    );
    if (doc.status === 'failed') return { outcome: 'failed', order: await finalizeOrder(deps, order.tenantId, order.id) };
    return { outcome: doc.status === 'retrying' ? 'retrying' : 'unchanged', order: doc, ...(doc.nextAttemptAt ? { nextAttemptAt: doc.nextAttemptAt } : {}) };
  } catch (error) {
    // Another attempt assigned (or someone cancelled) the order meanwhile.
    if (!(error instanceof DomainError && error.code === 'illegal-transition')) throw error;
    return { outcome: 'unchanged', order: await getOrder(deps, order.tenantId, order.id) };
  }
}
