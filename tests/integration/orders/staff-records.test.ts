/**
 * Staff-facing record changes against the Cosmos-protocol server: traders'
 * requisites (ownership, blocks, races with reservations), team leads'
 * traders, admin edits, trader statistics and support's paginated order list.
 */
import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import { DomainError } from '../../../shared/errors';
import { PLATFORM_TENANT, type RequisiteDoc, type ReservationDoc } from '../../../shared/orders/documents';
import { listOrdersPage } from '../../../shared/orders/order-queries';
import { createRequisite, listRequisites, newRequisiteId, updateRequisite } from '../../../shared/orders/requisite-admin';
import type { CreateRequisiteBody } from '../../../shared/orders/requisite-schemas';
import { releaseReservation, reserveRequisite } from '../../../shared/orders/reservation';
import type { Actor } from '../../../shared/orders/schemas';
import { readItem } from '../../../shared/orders/store';
import { listTeamTraders, requireActiveTeamLead, setTraderPriority } from '../../../shared/orders/team';
import { traderStats } from '../../../shared/orders/trader-stats';
import { adminListUsers, adminPutUser } from '../../../shared/orders/users';
import { seedOrders } from '../../../scripts/seed-data';
import { openOrdersFixture, type OrdersFixture } from './cosmos-fixture';

const merchantA: Actor = { role: 'merchant', id: 'user-a', tenantId: 'demo-a' };
const merchantB: Actor = { role: 'merchant', id: 'user-b', tenantId: 'demo-b' };
const body = (over: Partial<CreateRequisiteBody> = {}): CreateRequisiteBody => ({
  method: 'sbp', bank: 'alfa', currency: 'RUB', ownerName: 'Ivan P.', accountNumber: '+7 900 123-45-67',
  minOrder: '100.00', maxOrder: '10000.00', dailyLimit: '100000.00', monthlyLimit: '1000000.00', ...over,
});

async function rejects(promise: Promise<unknown>, code: string, status: number): Promise<DomainError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof DomainError, String(error));
    assert.equal(error.code, code, error.message);
    assert.equal(error.status, status);
    return error;
  }
  assert.fail(`expected ${code}`);
}

describe('staff records against Cosmos', () => {
  let fx: OrdersFixture;
  before(async () => {
    fx = await openOrdersFixture('staff');
    await seedOrders(fx.db, fx.clock);
  });
  after(() => fx.close());

  it('should create a requisite for its trader, once per Idempotency-Key, after checking method and bank', async () => {
    const { deps } = fx.engine();
    const id = newRequisiteId('trader-3', 'key-1');
    assert.equal(id, newRequisiteId('trader-3', 'key-1'));
    const first = await createRequisite(deps, 'trader-3', id, body());
    assert.equal(first.created, true);
    assert.equal(first.doc.traderId, 'trader-3');
    assert.equal(first.doc.displayNumber, '**** 4567');
    assert.equal(first.doc.maxOrderMinor, 1_000_000);
    assert.equal((await createRequisite(deps, 'trader-3', id, body())).created, false);
    const bad = await rejects(createRequisite(deps, 'trader-3', newRequisiteId('trader-3', null), body({ bank: 'nobank' })), 'validation-failed', 400);
    assert.deepEqual((bad.details['errors'] as { path: string }[]).map((e) => e.path), ['bank']);
    await rejects(createRequisite(deps, 'trader-3', newRequisiteId('trader-3', null), body({ method: 'cash' })), 'validation-failed', 400);
    await rejects(createRequisite(deps, 'teamlead-1', newRequisiteId('teamlead-1', null), body()), 'trader-unknown', 403);
    const own = await listRequisites(deps, { traderId: 'trader-3' }, { limit: 50 });
    assert.deepEqual(own.items.map((r) => r.id).sort(), [id, 'req-bank-vtb-3'].sort());
  });

  it('should page through requisites with a continuation token', async () => {
    const { deps } = fx.engine();
    const seen: string[] = [];
    let continuation: string | undefined;
    do {
      const page = await listRequisites(deps, {}, { limit: 2, continuation });
      assert.ok(page.items.length <= 2);
      seen.push(...page.items.map((r) => r.id));
      continuation = page.continuation;
    } while (continuation);
    assert.equal(new Set(seen).size, seen.length, 'no requisite twice');
    assert.ok(seen.includes('req-card-sber-1') && seen.length >= 6);
    assert.ok(seen.every((id) => !id.startsWith('reservation:')));
    await rejects(listRequisites(deps, {}, { limit: 2, continuation: 'bm90LWpzb24' }), 'invalid-continuation', 400);
  });

  it("should answer 404 for another trader's requisite and keep an admin's block", async () => {
    const { deps } = fx.engine();
    await rejects(updateRequisite(deps, 'req-card-sber-1', { status: 'paused' }, { kind: 'owner', traderId: 'trader-2' }), 'not-found', 404);
    const paused = await updateRequisite(deps, 'req-card-sber-1', { status: 'paused', maxOrder: '90000.00' }, { kind: 'owner', traderId: 'trader-1' });
    assert.equal(paused.status, 'inactive');
    assert.equal(paused.maxOrderMinor, 9_000_000);
    await updateRequisite(deps, 'req-card-sber-1', { status: 'blocked' }, { kind: 'admin' });
    const blocked = await rejects(updateRequisite(deps, 'req-card-sber-1', { status: 'active' }, { kind: 'owner', traderId: 'trader-1' }), 'requisite-blocked', 409);
    assert.equal(blocked.details['currentStatus'], 'blocked');
    // Limits stay the owner's to change; only the status is the admin's.
    assert.equal((await updateRequisite(deps, 'req-card-sber-1', { dailyLimit: '900000.00' }, { kind: 'owner', traderId: 'trader-1' })).status, 'blocked');
    assert.equal((await updateRequisite(deps, 'req-card-sber-1', { status: 'active' }, { kind: 'admin' })).status, 'active');
    await rejects(updateRequisite(deps, 'reservation:x:y', { status: 'paused' }, { kind: 'admin' }), 'not-found', 404);
  });

  it('should never lose reserved volume when limit edits race reservations', async () => {
    const { deps } = fx.engine();
    const id = 'req-sbp-alfa-2';
    const before = (await readItem<RequisiteDoc>(fx.store.requisites, id, PLATFORM_TENANT))!;
    const usage0 = before.usage.day === '2026-11-23' ? before.usage.dayMinor : 0;
    const orders = Array.from({ length: 12 }, (_, i) => `race-${i}`);
    const reserve = (orderId: string) =>
      reserveRequisite(fx.store, { orderId, orderTenantId: 'demo-a', requisiteId: id, direction: 'payin', method: 'sbp', currency: 'RUB', amountMinor: 10_000 }, fx.clock, 50);
    const edits = Array.from({ length: 12 }, (_, i) =>
      updateRequisite(deps, id, { dailyLimit: `${600_000 + i}.00`, ownerName: `Olga ${i}` }, { kind: 'owner', traderId: 'trader-2' }),
    );
    const results = await Promise.all([...orders.map(reserve), ...edits]);
    const reserved = results.slice(0, orders.length).filter((r) => 'reserved' in r && r.reserved).length;
    assert.equal(reserved, orders.length, 'limits stay far above 12 × 100.00, so every reservation fits');
    const after = (await readItem<RequisiteDoc>(fx.store.requisites, id, PLATFORM_TENANT))!;
    assert.equal(after.usage.dayMinor, usage0 + reserved * 10_000, 'every reservation still counted');
    assert.ok(after.dailyLimitMinor >= 60_000_000 && after.dailyLimitMinor <= 60_001_100);
    const { resources } = await fx.store.requisites.items
      .query<ReservationDoc>({ query: "SELECT * FROM c WHERE c.type = 'reservation' AND STARTSWITH(c.orderId, 'race-')" }, { partitionKey: PLATFORM_TENANT })
      .fetchAll();
    assert.equal(resources.filter((r) => r.state === 'held').length, reserved);
    for (const orderId of orders) await releaseReservation(fx.store, orderId, id, fx.clock, 50);
    assert.equal((await readItem<RequisiteDoc>(fx.store.requisites, id, PLATFORM_TENANT))!.usage.dayMinor, usage0);
    await updateRequisite(deps, id, { status: 'active' }, { kind: 'owner', traderId: 'trader-2' });
  });

  it("should let a team lead change only his own team's priorities", async () => {
    const { deps } = fx.engine();
    const lead = await requireActiveTeamLead(deps, 'teamlead-1');
    assert.deepEqual((await listTeamTraders(deps, lead.id)).map((t) => t.id), ['trader-1', 'trader-2']);
    assert.equal((await setTraderPriority(deps, lead.id, 'trader-2', 5)).trafficPriority, 5);
    assert.deepEqual((await listTeamTraders(deps, lead.id)).map((t) => t.id), ['trader-1', 'trader-2']);
    await rejects(setTraderPriority(deps, lead.id, 'trader-3', 0), 'not-found', 404);
    await rejects(setTraderPriority(deps, lead.id, 'nobody', 0), 'not-found', 404);
    await rejects(requireActiveTeamLead(deps, 'trader-1'), 'teamlead-inactive', 403);
    await setTraderPriority(deps, lead.id, 'trader-2', 1);
  });

  it('should let an admin move traders between teams and deactivate a team lead', async () => {
    const { deps } = fx.engine();
    const users = await adminListUsers(deps, undefined, { limit: 50 });
    assert.deepEqual(users.items.map((u) => `${u.role}:${u.id}`), ['teamlead:teamlead-1', 'trader:trader-1', 'trader:trader-2', 'trader:trader-3']);
    const { user: moved, created } = await adminPutUser(deps, 'trader-3', { teamLeadId: 'teamlead-1', trafficPriority: 3, active: true });
    assert.deepEqual([created, moved.role, 'teamLeadId' in moved && moved.teamLeadId], [false, 'trader', 'teamlead-1']);
    assert.equal((await listTeamTraders(deps, 'teamlead-1')).length, 3);
    const { user: out } = await adminPutUser(deps, 'trader-3', { teamLeadId: null, trafficPriority: 2 });
    assert.equal('teamLeadId' in out && out.teamLeadId, null);
    await rejects(adminPutUser(deps, 'trader-3', { teamLeadId: 'trader-1' }), 'validation-failed', 400);
    await rejects(adminPutUser(deps, 'teamlead-1', { trafficPriority: 1 }), 'validation-failed', 400);
    await rejects(adminPutUser(deps, 'ghost', { active: false }), 'not-found', 404);
    await rejects(adminPutUser(deps, 'teamlead-1', { role: 'trader', active: true }), 'user-role-mismatch', 409);
    assert.equal((await adminPutUser(deps, 'teamlead-1', { active: false })).user.active, false);
    await rejects(requireActiveTeamLead(deps, 'teamlead-1'), 'teamlead-inactive', 403);
    await adminPutUser(deps, 'teamlead-1', { active: true });
  });

  it('should create traders and team leads on PUT when they do not exist yet', async () => {
    const { deps } = fx.engine();
    const lead = await adminPutUser(deps, 'teamlead-2', { role: 'teamlead', name: 'Team Two' });
    assert.deepEqual([lead.created, lead.user.role, lead.user.active], [true, 'teamlead', true]);
    const missing = await rejects(adminPutUser(deps, 'trader-4', { role: 'trader', teamLeadId: 'teamlead-2' }), 'validation-failed', 400);
    assert.deepEqual((missing.details['errors'] as { path: string }[]).map((e) => e.path), ['name', 'commission']);
    await rejects(adminPutUser(deps, 'Bad Id', { role: 'teamlead', name: 'x' }), 'validation-failed', 400);
    const trader = await adminPutUser(deps, 'trader-4', { role: 'trader', name: 'Trader Four', teamLeadId: 'teamlead-2', commission: { payinBps: 120, payoutBps: 80 } });
    assert.equal(trader.created, true);
    assert.deepEqual((await listTeamTraders(deps, 'teamlead-2')).map((t) => [t.id, t.trafficPriority, t.active]), [['trader-4', 1, true]]);
    assert.equal((await adminPutUser(deps, 'trader-4', { role: 'trader', name: 'Trader 4' })).created, false, 'a second PUT updates');
    assert.ok((await deps.reference.traders()).has('trader-4'), 'selection sees the new trader');
  });

  it("should count a trader's orders and list orders per tenant with a continuation", async () => {
    const engine = fx.engine();
    const payin = (customerRef: string, amount = '1000.00') => ({ amount, currency: 'RUB', method: 'card', customerRef });
    const made: string[] = [];
    for (let i = 0; i < 3; i += 1) {
      const order = await engine.createOrder({ tenantId: 'demo-a', direction: 'payin', body: payin(`stats-a-${i}`), actor: merchantA });
      made.push((await engine.assignOrder('demo-a', order.id)).order.id);
    }
    const other = await engine.createOrder({ tenantId: 'demo-b', direction: 'payin', body: payin('stats-b'), actor: merchantB });
    await engine.assignOrder('demo-b', other.id);
    const first = await engine.getOrder('demo-a', made[0]!);
    const traderId = first.assignment!.traderId;
    const trader: Actor = { role: 'trader', id: `user:${traderId}`, traderId };
    await engine.applyOrderAction(trader, 'demo-a', first.id, { action: 'confirm' });

    const all = await traderStats(engine.deps, traderId, undefined);
    const scoped = await traderStats(engine.deps, traderId, 'demo-a');
    assert.equal(scoped.completed.today.count, 1);
    assert.equal(scoped.completed.today.volume['RUB'], '1000.00');
    assert.ok((all.ordersByStatus.assigned ?? 0) >= (scoped.ordersByStatus.assigned ?? 0));
    const countAll = Object.values(all.ordersByStatus).reduce((a, b) => a + b, 0);
    const countA = Object.values(scoped.ordersByStatus).reduce((a, b) => a + b, 0);
    assert.ok(countAll >= countA);

    const ids: string[] = [];
    let continuation: string | undefined;
    do {
      const page = await listOrdersPage(engine.deps, { tenantId: 'demo-a' }, { limit: 2, continuation });
      ids.push(...page.items.map((o) => o.id));
      assert.ok(page.items.every((o) => o.tenantId === 'demo-a'));
      continuation = page.continuation;
    } while (continuation);
    assert.equal(new Set(ids).size, ids.length);
    for (const id of made) assert.ok(ids.includes(id));
    assert.ok(!ids.includes(other.id), "demo-b's order is not in demo-a's list");
    const completed = await listOrdersPage(engine.deps, { tenantId: 'demo-a', status: 'completed', traderId }, { limit: 50 });
    assert.deepEqual(completed.items.map((o) => o.id), [first.id]);
    const everywhere = await listOrdersPage(engine.deps, {}, { limit: 200 });
    assert.ok(everywhere.items.some((o) => o.id === other.id), 'platform staff see every tenant');
  });
});
