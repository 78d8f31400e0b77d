import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import {
  PLATFORM_TENANT,
  type MerchantDoc,
  type OrderDoc,
  type RequisiteDoc,
  type ReservationDoc,
  type StoreDoc,
  type TraderDoc,
} from '../../../shared/orders/documents';
import { exchangeRateId } from '../../../shared/orders/reference-data';
import { releaseReservation, reservationId, reserveRequisite } from '../../../shared/orders/reservation';
import type { Actor } from '../../../shared/orders/schemas';
import { openOrdersFixture, type OrdersFixture } from './cosmos-fixture';

const merchant: Actor = { role: 'merchant', id: 'm', tenantId: 'conc' };

/** A dropped connection to the (shared, busy) local Cosmos server; the SDK retries reads but not writes. */
const isConnectionDrop = (e: unknown) => e instanceof Error && /socket hang up|ECONNRESET|EPIPE/.test(`${e.message} ${String((e as { code?: unknown }).code)}`);

/**
 * Runs a queue worker's call as the platform does: a worker that lost its
 * connection mid-way is delivered the message again (the engine is idempotent,
 * so this also exercises resuming a half-done attempt). Domain outcomes are never retried.
 */
async function delivered<T>(op: () => Promise<T>, attempts = 3): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await op();
    } catch (error) {
      if (attempt >= attempts || !isConnectionDrop(error)) throw error;
    }
  }
}
const DAY = '2026-11-23';

function requisite(id: string, traderId: string, over: Partial<RequisiteDoc>): RequisiteDoc {
  return {
    id, type: 'requisite', tenantId: PLATFORM_TENANT, traderId, method: 'card', bankId: 'bank:x', currency: 'RUB',
    directions: ['payin', 'payout'], displayNumber: id, holderName: 'H', minOrderMinor: 10_000, maxOrderMinor: 500_000,
    dailyLimitMinor: 3_000_000, monthlyLimitMinor: 3_000_000, status: 'active', lastUsedAt: null,
    usage: { day: DAY, dayMinor: 0, month: DAY.slice(0, 7), monthMinor: 0 }, ...over,
  };
}

/** Five requisites with different per-order, daily and monthly limits; far less capacity than 200 orders ask for. */
const REQUISITES = [
  requisite('r1', 't1', {}),
  requisite('r2', 't1', { maxOrderMinor: 100_000 }),
  requisite('r3', 't2', { minOrderMinor: 200_000, dailyLimitMinor: 5_000_000 }),
  requisite('r4', 't2', { monthlyLimitMinor: 1_500_000, dailyLimitMinor: 9_000_000 }),
  requisite('r5', 't3', { dailyLimitMinor: 2_000_000 }),
];

async function seed(fx: OrdersFixture): Promise<void> {
  const merchantDoc: MerchantDoc = { id: 'conc', type: 'merchant', tenantId: 'conc', name: 'C', active: true, defaultStoreId: 's1' };
  const storeDoc: StoreDoc = { id: 's1', type: 'store', tenantId: 'conc', name: 'S', active: true, commission: { payinBps: 300, payoutBps: 300 } };
  await fx.store.merchants.items.create(merchantDoc);
  await fx.store.merchants.items.create(storeDoc);
  for (const [id, priority] of [['t1', 1], ['t2', 1], ['t3', 2]] as const) {
    const trader: TraderDoc = { id, type: 'trader', tenantId: PLATFORM_TENANT, name: id, trafficPriority: priority, active: true, commission: { payinBps: 100, payoutBps: 100 } };
    await fx.store.traders.items.create(trader);
  }
  for (const r of REQUISITES) await fx.store.requisites.items.create(r);
  await fx.store.referenceData.items.create({ id: exchangeRateId('USDT', 'RUB'), type: 'exchange-rate', tenantId: PLATFORM_TENANT, base: 'USDT', quote: 'RUB', rate: '92.50', updatedAt: DAY });
}

async function reservations(fx: OrdersFixture): Promise<ReservationDoc[]> {
  const { resources } = await fx.store.requisites.items
    .query<ReservationDoc>({ query: "SELECT * FROM c WHERE c.type = 'reservation'" }, { partitionKey: PLATFORM_TENANT })
    .fetchAll();
  return resources;
}

async function requisites(fx: OrdersFixture): Promise<Map<string, RequisiteDoc>> {
  const { resources } = await fx.store.requisites.items
    .query<RequisiteDoc>({ query: "SELECT * FROM c WHERE c.type = 'requisite'" }, { partitionKey: PLATFORM_TENANT })
    .fetchAll();
  return new Map(resources.map((r) => [r.id, r]));
}

/** Every limit holds and every counter equals the sum of the reservations it counts. */
async function assertLimitsHold(fx: OrdersFixture): Promise<ReservationDoc[]> {
  const held = (await reservations(fx)).filter((r) => r.state !== 'released');
  for (const [id, r] of await requisites(fx)) {
    const mine = held.filter((h) => h.requisiteId === id);
    const total = mine.reduce((sum, h) => sum + h.amountMinor, 0);
    assert.equal(r.usage.dayMinor, total, `${id} day usage = its reservations`);
    assert.equal(r.usage.monthMinor, total, `${id} month usage = its reservations`);
    assert.ok(total <= r.dailyLimitMinor, `${id} daily limit`);
    assert.ok(total <= r.monthlyLimitMinor, `${id} monthly limit`);
    for (const h of mine) assert.ok(h.amountMinor >= r.minOrderMinor && h.amountMinor <= r.maxOrderMinor, `${id} per-order limits`);
  }
  return held;
}

describe('concurrent reservations against Cosmos (with the in-process write queue)', () => {
  let fx: OrdersFixture;
  before(async () => {
    fx = await openOrdersFixture('conc-queued', { localLocks: true });
    await seed(fx);
  });
  after(() => fx.close());

  it('should never exceed a limit with 200 concurrent pay-ins on 5 requisites', async () => {
    const engine = fx.engine({ MAX_ORDER_RETRIES: 1 });
    const ids = Array.from({ length: 200 }, (_, i) => `q-${i}`);
    await Promise.all(ids.map((id, i) => delivered(() => engine.createOrder({
      tenantId: 'conc', direction: 'payin', actor: merchant, orderId: id,
      body: { amount: ((50_000 + ((i * 7919) % 400_000)) / 100).toFixed(2), currency: 'RUB', method: 'card', customerRef: `c-${i}` },
    }))));
    await Promise.all(ids.flatMap((id) => [delivered(() => engine.assignOrder('conc', id)), delivered(() => engine.assignOrder('conc', id))]));
    const held = await assertLimitsHold(fx);
    const assigned = (await Promise.all(ids.map((id) => engine.getOrder('conc', id)))).filter((o) => o.status === 'assigned');
    assert.equal(held.length, assigned.length);
  });
});

describe('concurrent reservations against Cosmos (ETags alone)', () => {
  let fx: OrdersFixture;
  before(async () => {
    fx = await openOrdersFixture('conc');
    await seed(fx);
  });
  after(() => fx.close());

  it('should never exceed a limit with 200 concurrent pay-ins on 5 requisites, each assigned twice at once', async () => {
    const engine = fx.engine({ MAX_ORDER_RETRIES: 1 });
    const amounts = Array.from({ length: 200 }, (_, i) => 50_000 + ((i * 7919) % 400_000)); // 500.00 .. 4499.99 RUB
    const orders = await Promise.all(
      amounts.map((minor, i) =>
        delivered(() => engine.createOrder({
          tenantId: 'conc', direction: 'payin', actor: merchant, orderId: `o-${i}`,
          body: { amount: (minor / 100).toFixed(2), currency: 'RUB', method: 'card', customerRef: `c-${i}` },
        })),
      ),
    );
    // Every order is assigned by two racing workers (a duplicated queue delivery).
    const results = await Promise.all(orders.flatMap((o) => [delivered(() => engine.assignOrder('conc', o.id)), delivered(() => engine.assignOrder('conc', o.id))]));
    assert.ok(results.every((r) => ['assigned', 'retrying', 'unchanged'].includes(r.outcome)), JSON.stringify(results.map((r) => r.outcome)));
    const held = await assertLimitsHold(fx);
    const finals = await Promise.all(orders.map((o) => engine.getOrder('conc', o.id)));
    const assigned = finals.filter((o) => o.status === 'assigned');
    assert.equal(held.length, assigned.length, 'one reservation per assigned order');
    for (const o of assigned) {
      const r = held.find((h) => h.orderId === o.id);
      assert.equal(r?.requisiteId, o.assignment?.requisiteId);
    }
    assert.ok(assigned.length > 10, `some orders assigned (${assigned.length})`);
    assert.ok(finals.some((o) => o.status === 'retrying'), 'capacity ran out for some');
    assert.ok(finals.every((o) => o.status === 'assigned' || (o.status === 'retrying' && !o.claim)));
    for (const o of finals.filter((f) => f.status === 'retrying')) {
      assert.equal(o.failureReason, 'no-requisite-available', o.id);
      assert.ok(o.nextAttemptAt, `${o.id} has its next attempt scheduled`);
    }
  });

  it('should end every one of the 200 orders assigned or failed with a reason once its retries are spent', async () => {
    const engine = fx.engine({ MAX_ORDER_RETRIES: 1 });
    const ids = Array.from({ length: 200 }, (_, i) => `o-${i}`);
    // The retry comes due; again two racing workers per order.
    fx.clock.advance(60_000);
    const results = await Promise.all(ids.flatMap((id) => [delivered(() => engine.assignOrder('conc', id)), delivered(() => engine.assignOrder('conc', id))]));
    assert.ok(results.every((r) => ['assigned', 'failed', 'unchanged'].includes(r.outcome)), JSON.stringify(results.map((r) => r.outcome)));
    const finals = await Promise.all(ids.map((id) => engine.getOrder('conc', id)));
    assert.equal(finals.length, 200, 'nothing lost');
    const failed = finals.filter((o) => o.status === 'failed');
    assert.ok(failed.length > 0, 'some ran out of retries');
    assert.deepEqual(finals.filter((o) => o.status !== 'assigned' && o.status !== 'failed').map((o) => o.id), []);
    for (const o of failed) {
      assert.equal(o.failureReason, 'no-requisite-available', o.id);
      assert.equal(o.history.filter((h) => h.event === 'fail').length, 1, `${o.id} failed once`);
    }
    const held = await assertLimitsHold(fx);
    const assigned = finals.filter((o) => o.status === 'assigned');
    assert.equal(held.length, assigned.length, 'one reservation per assigned order, none for failed ones');
    assert.deepEqual(held.map((h) => h.orderId).sort(), assigned.map((o) => o.id).sort());
    fx.clock.advance(-60_000);
  });

  it('should make a second reservation of the same order a no-op, even concurrently', async () => {
    await fx.store.requisites.items.create(requisite('r-dup', 't3', {}));
    const request = { orderId: 'dup', orderTenantId: 'conc', requisiteId: 'r-dup', direction: 'payin' as const, method: 'card', currency: 'RUB', amountMinor: 10_000 };
    const attempts = await Promise.all(Array.from({ length: 5 }, () => reserveRequisite(fx.store, request, fx.clock, 50)));
    assert.ok(attempts.every((a) => a.reserved));
    assert.equal((await requisites(fx)).get('r-dup')!.usage.dayMinor, 10_000);
    // Release twice: one release.
    await Promise.all([releaseReservation(fx.store, 'dup', 'r-dup', fx.clock, 50), releaseReservation(fx.store, 'dup', 'r-dup', fx.clock, 50)]);
    await releaseReservation(fx.store, 'dup', 'r-dup', fx.clock, 50);
    assert.equal((await requisites(fx)).get('r-dup')!.usage.dayMinor, 0);
    // Reserving a released order again does not re-reserve.
    const again = await reserveRequisite(fx.store, request, fx.clock, 50);
    assert.equal(again.reserved, false);
    assert.equal((await requisites(fx)).get('r-dup')!.usage.dayMinor, 0);
    await fx.store.requisites.item('r-dup', PLATFORM_TENANT).replace({ ...(await requisites(fx)).get('r-dup')!, status: 'inactive' });
  });

  it('should finish a reservation whose second write never happened (crash after the requisite write)', async () => {
    const r = (await requisites(fx)).get('r4')!;
    const at = fx.clock.now().toISOString();
    const reservation: ReservationDoc = {
      id: reservationId('crashed', 'r4'), type: 'reservation', tenantId: PLATFORM_TENANT, orderId: 'crashed', orderTenantId: 'conc',
      requisiteId: 'r4', traderId: 't2', amountMinor: 10_000, currency: 'RUB', day: DAY, month: DAY.slice(0, 7), state: 'held', createdAt: at, updatedAt: at,
    };
    // The state a process leaves when it dies between the requisite replace and the reservation create.
    const { _etag, ...rest } = r;
    void _etag;
    await fx.store.requisites.item('r4', PLATFORM_TENANT).replace({
      ...rest, usage: { ...r.usage, dayMinor: r.usage.dayMinor + 10_000, monthMinor: r.usage.monthMinor + 10_000 },
      pending: { op: 'reserve', orderId: 'crashed', reservation },
    });
    const retried = await reserveRequisite(fx.store, { orderId: 'crashed', orderTenantId: 'conc', requisiteId: 'r4', direction: 'payin', method: 'card', currency: 'RUB', amountMinor: 10_000 }, fx.clock, 50);
    assert.equal(retried.reserved, true);
    assert.equal((await requisites(fx)).get('r4')!.usage.dayMinor, r.usage.dayMinor + 10_000, 'counted once');
    await releaseReservation(fx.store, 'crashed', 'r4', fx.clock, 50);
    await assertLimitsHold(fx);
  });

  it('should give a reservation back once when its release died between the requisite write and the reservation write', async () => {
    await fx.store.requisites.items.create(requisite('r-rel', 't3', {}));
    const request = { orderId: 'rel', orderTenantId: 'conc', requisiteId: 'r-rel', direction: 'payin' as const, method: 'card', currency: 'RUB', amountMinor: 20_000 };
    const other = { ...request, orderId: 'rel-other', amountMinor: 30_000 };
    const reserved = await reserveRequisite(fx.store, request, fx.clock, 50);
    assert.ok(reserved.reserved);
    await reserveRequisite(fx.store, other, fx.clock, 50);
    // The state a process leaves when it dies after the release's requisite replace: counters given back, reservation still held.
    const r = (await requisites(fx)).get('r-rel')!;
    const { _etag, ...rest } = r;
    void _etag;
    await fx.store.requisites.item('r-rel', PLATFORM_TENANT).replace({
      ...rest, usage: { ...r.usage, dayMinor: r.usage.dayMinor - 20_000, monthMinor: r.usage.monthMinor - 20_000 },
      pending: { op: 'release', orderId: 'rel', reservation: { ...reserved.reservation, state: 'released' } },
    });
    // Releasing again (the retry), twice at once, gives nothing back a second time.
    const states = await Promise.all([releaseReservation(fx.store, 'rel', 'r-rel', fx.clock, 50), releaseReservation(fx.store, 'rel', 'r-rel', fx.clock, 50)]);
    assert.deepEqual(states, ['released', 'released']);
    assert.equal((await requisites(fx)).get('r-rel')!.usage.dayMinor, 30_000, 'only the other order still counts');
    await releaseReservation(fx.store, 'rel-other', 'r-rel', fx.clock, 50);
    await assertLimitsHold(fx);
  });

  it('should neither lose nor double-reserve an order whose worker died between reservation and assignment', async () => {
    const engine = fx.engine();
    // Free capacity on r1 so the order fits there.
    const order = await engine.createOrder({ tenantId: 'conc', direction: 'payin', actor: merchant, orderId: 'half-done', body: { amount: '100.00', currency: 'RUB', method: 'card', customerRef: 'hd' } });
    const held = (await reservations(fx)).find((h) => h.requisiteId === 'r1' && h.state === 'held');
    if (held) await releaseReservation(fx.store, held.orderId, 'r1', fx.clock, 50);
    const usageBefore = (await requisites(fx)).get('r1')!.usage.dayMinor;
    // The dead worker's footprint: the claim on the order and the reservation, no assignment.
    const current = await engine.getOrder('conc', order.id);
    const { _etag, ...rest } = current;
    void _etag;
    await fx.store.orders.item(order.id, 'conc').replace<OrderDoc>({ ...rest, claim: { requisiteId: 'r1', traderId: 't1', at: fx.clock.now().toISOString() } });
    const reserved = await reserveRequisite(fx.store, { orderId: order.id, orderTenantId: 'conc', requisiteId: 'r1', direction: 'payin', method: 'card', currency: 'RUB', amountMinor: 10_000 }, fx.clock, 50);
    assert.equal(reserved.reserved, true);
    // The queue redelivers; two workers pick it up at once.
    const [a, b] = await Promise.all([engine.assignOrder('conc', order.id), engine.assignOrder('conc', order.id)]);
    assert.ok([a.outcome, b.outcome].includes('assigned'));
    const final = await engine.getOrder('conc', order.id);
    assert.equal(final.status, 'assigned');
    assert.equal(final.assignment?.requisiteId, 'r1');
    assert.equal((await requisites(fx)).get('r1')!.usage.dayMinor, usageBefore + 10_000, 'reserved once');
    await assertLimitsHold(fx);
  });
});
