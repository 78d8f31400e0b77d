/**
 * 200 pay-ins posted at once through the local runtime (merchant API → orders
 * queue → one orchestration each → assign activity with durable retries)
 * against 5 requisites with far less capacity than they ask for: no
 * requisite's per-order, daily or monthly limit is ever exceeded, its counters
 * equal the sum of its reservations, and every order ends assigned or failed
 * with a reason: nothing lost, nothing reserved twice.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { PLATFORM_TENANT, type OrderDoc, type RequisiteDoc, type ReservationDoc } from '../../../shared/orders/documents';
import type { OrdersStore } from '../../../shared/orders/store';
import { orderEngine } from '../../../shared/wiring/orders';
import { startE2eHost, type E2eHost } from '../../support/e2e-host';
import { eventually as poll } from '../../support/eventually';

/** Polling ceiling and interval of this file (no timing assertion). */
const eventually = <T>(read: () => Promise<T | undefined>, what: string, timeoutMs = 240_000) => poll(read, what, { timeoutMs, pollMs: 250 });

const ORDERS = 200;

function requisite(id: string, traderId: string, over: Partial<RequisiteDoc>): RequisiteDoc {
  const now = new Date().toISOString();
  return {
    id, type: 'requisite', tenantId: PLATFORM_TENANT, traderId, method: 'card', bankId: 'bank:sber', currency: 'RUB',
    directions: ['payin', 'payout'], displayNumber: id, holderName: 'H', minOrderMinor: 10_000, maxOrderMinor: 500_000,
    dailyLimitMinor: 3_000_000, monthlyLimitMinor: 3_000_000, status: 'active', lastUsedAt: null,
    usage: { day: now.slice(0, 10), dayMinor: 0, month: now.slice(0, 7), monthMinor: 0 }, ...over,
  };
}

/** Different per-order, daily and monthly limits; together about a quarter of what 200 orders ask for. */
const REQUISITES = [
  requisite('lim-r1', 'trader-1', {}),
  requisite('lim-r2', 'trader-1', { maxOrderMinor: 100_000 }),
  requisite('lim-r3', 'trader-2', { minOrderMinor: 200_000, dailyLimitMinor: 5_000_000, monthlyLimitMinor: 9_000_000 }),
  requisite('lim-r4', 'trader-2', { monthlyLimitMinor: 1_500_000, dailyLimitMinor: 9_000_000 }),
  requisite('lim-r5', 'trader-3', { dailyLimitMinor: 2_000_000 }),
];

const amountMinor = (i: number) => 50_000 + ((i * 7919) % 400_000); // 500.00 .. 4499.99 RUB

async function query<T>(container: OrdersStore['requisites'], text: string, partitionKey: string): Promise<T[]> {
  return (await container.items.query<T>({ query: text }, { partitionKey }).fetchAll()).resources;
}

describe('200 concurrent pay-ins against 5 requisites (local runtime)', () => {
  let host: E2eHost;
  let store: OrdersStore;

  before(async () => {
    host = await startE2eHost();
    // One attempt each: an order that finds no capacity fails at once (retries are tested in orders.test.ts).
    await host.putSetting('orders', { MAX_ORDER_RETRIES: 0 });
    store = (await orderEngine()).deps.store;
    // Only the five test requisites take RUB card orders.
    for (const seeded of await query<RequisiteDoc>(store.requisites, "SELECT * FROM c WHERE c.type = 'requisite'", PLATFORM_TENANT)) {
      await store.requisites.item(seeded.id, PLATFORM_TENANT).replace({ ...seeded, status: 'inactive' });
    }
    for (const r of REQUISITES) await store.requisites.items.create(r);
  });

  after(async () => {
    await host?.stop();
  });

  it('should never exceed a limit, and end every order assigned or failed with a reason', async () => {
    const responses = await Promise.all(
      Array.from({ length: ORDERS }, (_, i) =>
        host.call('/api/v1/payins', {
          method: 'POST',
          apiKey: 'demo-a-key',
          headers: { 'idempotency-key': `limits-${i}`, 'content-type': 'application/json' },
          body: JSON.stringify({ amount: (amountMinor(i) / 100).toFixed(2), currency: 'RUB', method: 'card', customerRef: `limits-${i}` }),
        }),
      ),
    );
    assert.deepEqual(responses.map((r) => r.status), Array<number>(ORDERS).fill(201));
    const ids = await Promise.all(responses.map(async (r) => ((await r.json()) as { id: string }).id));

    const orders = await eventually(async () => {
      const found = await query<OrderDoc>(store.orders, "SELECT * FROM c WHERE c.type = 'order' AND STARTSWITH(c.customerRef, 'limits-')", 'demo-a');
      return found.length === ORDERS && found.every((o) => o.status === 'assigned' || o.status === 'failed') ? found : undefined;
    }, 'every order to be assigned or failed');
    assert.deepEqual(orders.map((o) => o.id).sort(), [...ids].sort(), 'nothing lost');

    const assigned = orders.filter((o) => o.status === 'assigned');
    const failed = orders.filter((o) => o.status === 'failed');
    assert.ok(assigned.length > 10, `some orders assigned (${assigned.length})`);
    assert.ok(failed.length > 10, `capacity ran out for some (${failed.length})`);
    for (const o of failed) assert.equal(o.failureReason, 'no-requisite-available', o.id);
    for (const o of orders) assert.equal(o.claim, undefined, `${o.id} carries no leftover claim`);

    const reservations = await query<ReservationDoc>(store.requisites, "SELECT * FROM c WHERE c.type = 'reservation'", PLATFORM_TENANT);
    const held = reservations.filter((r) => r.state === 'held');
    assert.equal(reservations.filter((r) => r.state === 'consumed').length, 0);
    assert.equal(held.length, assigned.length, 'one held reservation per assigned order');
    for (const o of assigned) {
      assert.deepEqual(held.filter((r) => r.orderId === o.id).map((r) => r.requisiteId), [o.assignment?.requisiteId], o.id);
    }
    const requisites = await query<RequisiteDoc>(store.requisites, "SELECT * FROM c WHERE c.type = 'requisite'", PLATFORM_TENANT);
    for (const r of requisites) {
      const mine = held.filter((h) => h.requisiteId === r.id);
      const total = mine.reduce((sum, h) => sum + h.amountMinor, 0);
      assert.equal(r.usage.dayMinor, total, `${r.id}: day usage = its reservations`);
      assert.equal(r.usage.monthMinor, total, `${r.id}: month usage = its reservations`);
      assert.ok(total <= r.dailyLimitMinor, `${r.id}: daily limit`);
      assert.ok(total <= r.monthlyLimitMinor, `${r.id}: monthly limit`);
      for (const h of mine) assert.ok(h.amountMinor >= r.minOrderMinor && h.amountMinor <= r.maxOrderMinor, `${r.id}: per-order limits`);
    }

    // One orchestration per order: failed ones finished with that status, assigned ones wait for payment.
    const expected = orders.map((o) => (o.status === 'failed' ? 'failed:Completed:failed' : 'assigned:Running:'));
    const instances = async () =>
      Promise.all(orders.map(async (o) => {
        const body = (await (await host.call(`/runtime/webhooks/durabletask/instances/${o.id}`)).json()) as { runtimeStatus?: string; output?: unknown };
        return `${o.status}:${body.runtimeStatus ?? ''}:${String(body.output ?? '')}`;
      }));
    let last: string[] = [];
    await eventually(async () => {
      last = await instances();
      return last.every((s, i) => s === expected[i]) ? true : undefined;
    }, 'every orchestration to settle', 60_000).catch(() => undefined);
    assert.deepEqual(last, expected);
  });
});
