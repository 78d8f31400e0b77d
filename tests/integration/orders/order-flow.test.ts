import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import type { AuditEvent } from '../../../shared/audit/audit-event';
import { DomainError } from '../../../shared/errors';
import type { RequisiteDoc, ReservationDoc } from '../../../shared/orders/documents';
import { storeAccount } from '../../../shared/orders/ledger-postings';
import { reservationId } from '../../../shared/orders/reservation';
import type { Actor } from '../../../shared/orders/schemas';
import { readItem } from '../../../shared/orders/store';
import { toOrderView } from '../../../shared/orders/view';
import { seedOrders } from '../../../scripts/seed-data';
import { openOrdersFixture, type OrdersFixture } from './cosmos-fixture';

const merchantA: Actor = { role: 'merchant', id: 'user-a', tenantId: 'demo-a' };
const merchantB: Actor = { role: 'merchant', id: 'user-b', tenantId: 'demo-b' };
const payin = (over: Record<string, unknown> = {}) => ({ amount: '1000.00', currency: 'RUB', method: 'card', customerRef: 'cust-1', ...over });
const payout = (over: Record<string, unknown> = {}) => payin({ payee: { cardNumber: '4111 1111 1111 1111', holderName: 'ANNA K.' }, ...over });

async function rejects(promise: Promise<unknown>, code: string, status?: number): Promise<DomainError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof DomainError, String(error));
    assert.equal(error.code, code);
    if (status) assert.equal(error.status, status);
    return error;
  }
  assert.fail(`expected ${code}`);
}

describe('order flow against Cosmos', () => {
  let fx: OrdersFixture;
  before(async () => {
    fx = await openOrdersFixture('flow');
    await seedOrders(fx.db, fx.clock);
    await seedOrders(fx.db, fx.clock); // idempotent
  });
  after(() => fx.close());

  it('should assign demo-a a 1000.00 RUB card pay-in with the seed data', async () => {
    const engine = fx.engine();
    const order = await engine.createOrder({ tenantId: 'demo-a', direction: 'payin', body: payin(), actor: merchantA });
    assert.equal(order.status, 'new');
    const result = await engine.assignOrder('demo-a', order.id);
    assert.equal(result.outcome, 'assigned');
    assert.equal(result.order.assignment?.requisiteId, 'req-card-sber-1'); // trader-1 priority 1, ties by id
    assert.equal(result.order.quote?.storeCommissionMinor, 3000);
    assert.equal(result.order.fraud?.decision, 'ALLOW');
    assert.ok(result.order.history.some((h) => h.event === 'fraud-check'));
    const view = toOrderView(result.order, 'merchant');
    assert.equal(view.amount, '1000.00');
    assert.equal(view.requisite?.displayNumber, '2202 **** **** 4411');
    assert.equal(toOrderView(result.order, 'trader').customerRef, undefined);
    // Assigning again changes nothing.
    assert.equal((await engine.assignOrder('demo-a', order.id)).outcome, 'unchanged');
  });

  it('should round-robin the next equal-priority order to another requisite', async () => {
    const engine = fx.engine();
    const order = await engine.createOrder({ tenantId: 'demo-a', direction: 'payin', body: payin({ customerRef: 'cust-2' }), actor: merchantA });
    const result = await engine.assignOrder('demo-a', order.id);
    assert.equal(result.order.assignment?.requisiteId, 'req-card-tinkoff-2');
  });

  it('should complete a pay-in, credit the store once and answer 409 with the current status after', async () => {
    const engine = fx.engine();
    const account = storeAccount('demo-a', 'demo-a-main', 'RUB').accountId;
    const before = (await engine.getBalance(account))?.balanceMinor ?? 0;
    const order = await engine.createOrder({ tenantId: 'demo-a', direction: 'payin', body: payin({ customerRef: 'cust-3' }), actor: merchantA });
    const { order: assigned } = await engine.assignOrder('demo-a', order.id);
    const trader: Actor = { role: 'trader', id: 'trader-user', traderId: assigned.assignment!.traderId };
    await engine.applyOrderAction(merchantA, 'demo-a', order.id, { action: 'confirm_payment' });
    await rejects(engine.applyOrderAction(merchantB, 'demo-a', order.id, { action: 'confirm' }), 'forbidden', 403);
    const done = await engine.applyOrderAction(trader, 'demo-a', order.id, { action: 'confirm' });
    assert.equal(done.status, 'completed');
    assert.ok(done.ledger.settle);
    const afterOnce = (await engine.getBalance(account))!.balanceMinor;
    assert.equal(afterOnce - before, 97_000); // 1000.00 - 3 % fee
    // Replays: finalize again, post again: nothing moves.
    await engine.finalizeOrder('demo-a', order.id);
    assert.equal((await engine.getBalance(account))!.balanceMinor, afterOnce);
    const illegal = await rejects(engine.applyOrderAction(trader, 'demo-a', order.id, { action: 'confirm' }), 'illegal-transition', 409);
    assert.equal(illegal.details['currentStatus'], 'completed');
    const reservation = await readItem<ReservationDoc>(fx.store.requisites, reservationId(order.id, assigned.assignment!.requisiteId), 'platform');
    assert.equal(reservation?.state, 'consumed');
  });

  it('should reject bad bodies with bad-request and stable details', async () => {
    const engine = fx.engine();
    const bad = await rejects(engine.createOrder({ tenantId: 'demo-a', direction: 'payin', body: payin({ amount: 1000 }), actor: merchantA }), 'bad-request', 400);
    assert.ok(Array.isArray(bad.details['errors']));
    await rejects(engine.createOrder({ tenantId: 'demo-a', direction: 'payin', body: payin({ method: 'cash' }), actor: merchantA }), 'bad-request');
    await rejects(engine.createOrder({ tenantId: 'demo-a', direction: 'payin', body: payin({ amount: '10.001' }), actor: merchantA }), 'bad-request');
    await rejects(engine.createOrder({ tenantId: 'nobody', direction: 'payin', body: payin(), actor: merchantA }), 'not-found', 404);
  });

  it('should return the same order when created twice with one id, and refuse different details', async () => {
    const engine = fx.engine();
    const first = await engine.createOrder({ tenantId: 'demo-a', direction: 'payin', body: payin({ customerRef: 'idem' }), actor: merchantA, orderId: 'idem-1' });
    const second = await engine.createOrder({ tenantId: 'demo-a', direction: 'payin', body: payin({ customerRef: 'idem' }), actor: merchantA, orderId: 'idem-1' });
    assert.equal(second.createdAt, first.createdAt);
    await rejects(engine.createOrder({ tenantId: 'demo-a', direction: 'payin', body: payin({ amount: '5.00' }), actor: merchantA, orderId: 'idem-1' }), 'order-id-conflict', 409);
  });

  it('should fail a pay-out the store cannot afford with insufficient-balance and hold nothing', async () => {
    const engine = fx.engine();
    const account = storeAccount('demo-b', 'demo-b-main', 'RUB').accountId;
    const before = (await engine.getBalance(account))!.balanceMinor;
    const err = await rejects(
      engine.createOrder({ tenantId: 'demo-b', direction: 'payout', body: payout({ amount: '99000.00' }), actor: merchantB, orderId: 'too-big' }),
      'insufficient-balance', 409,
    );
    assert.equal(err.details['currency'], 'RUB');
    assert.equal((await engine.getBalance(account))!.balanceMinor, before);
    assert.equal((await engine.getOrder('demo-b', 'too-big')).status, 'failed');
    assert.equal((await engine.reconcile()).ok, true);
  });

  it('should hold a pay-out at creation and refund it on cancel, once', async () => {
    const engine = fx.engine();
    const account = storeAccount('demo-b', 'demo-b-main', 'RUB').accountId;
    const before = (await engine.getBalance(account))!.balanceMinor;
    const order = await engine.createOrder({ tenantId: 'demo-b', direction: 'payout', body: payout({ amount: '500.00', customerRef: 'po-1' }), actor: merchantB });
    assert.equal(before - (await engine.getBalance(account))!.balanceMinor, 51_500); // 500.00 + 3 % fee
    const { order: assigned } = await engine.assignOrder('demo-b', order.id);
    const cancelled = await engine.applyOrderAction(merchantB, 'demo-b', order.id, { action: 'cancel' });
    assert.equal(cancelled.status, 'cancelled');
    await engine.finalizeOrder('demo-b', order.id);
    assert.equal((await engine.getBalance(account))!.balanceMinor, before);
    const reservation = await readItem<ReservationDoc>(fx.store.requisites, reservationId(order.id, assigned.assignment!.requisiteId), 'platform');
    assert.equal(reservation?.state, 'released');
  });

  it('should refund a pay-out hold even if the worker died before flagging it on the order', async () => {
    const engine = fx.engine();
    const account = storeAccount('demo-b', 'demo-b-main', 'RUB').accountId;
    const before = (await engine.getBalance(account))!.balanceMinor;
    const order = await engine.createOrder({ tenantId: 'demo-b', direction: 'payout', body: payout({ amount: '200.00', customerRef: 'po-2' }), actor: merchantB });
    const { _etag, ...rest } = await engine.getOrder('demo-b', order.id);
    void _etag;
    await fx.store.orders.item(order.id, 'demo-b').replace({ ...rest, ledger: {} }); // the flag never got written
    await engine.applyOrderAction(merchantB, 'demo-b', order.id, { action: 'cancel' });
    assert.equal((await engine.getBalance(account))!.balanceMinor, before);
  });

  it('should expire an unpaid order and give its volume back to the requisite', async () => {
    const engine = fx.engine();
    const order = await engine.createOrder({ tenantId: 'demo-a', direction: 'payin', body: payin({ method: 'sbp', amount: '700.00', customerRef: 'exp' }), actor: merchantA });
    const { order: assigned } = await engine.assignOrder('demo-a', order.id);
    const requisiteId = assigned.assignment!.requisiteId;
    const usageBefore = (await readItem<RequisiteDoc>(fx.store.requisites, requisiteId, 'platform'))!.usage.dayMinor;
    assert.equal(await engine.expireDueOrders(), 0); // not due yet
    fx.clock.advance(31 * 60_000);
    assert.ok((await engine.expireDueOrders()) >= 1); // earlier tests' assigned orders are due too
    assert.equal((await engine.getOrder('demo-a', order.id)).status, 'expired');
    const usageAfter = (await readItem<RequisiteDoc>(fx.store.requisites, requisiteId, 'platform'))!.usage.dayMinor;
    assert.equal(usageBefore - usageAfter, 70_000);
    await engine.expireOrder('demo-a', order.id); // replay: no second release
    assert.equal((await readItem<RequisiteDoc>(fx.store.requisites, requisiteId, 'platform'))!.usage.dayMinor, usageAfter);
    fx.clock.advance(-31 * 60_000);
  });

  it('should deny a block-listed customer and send a large order to review', async () => {
    const engine = fx.engine({ FRAUD_BLOCKED_CUSTOMERS: ['demo-a:fraudster'], FRAUD_REVIEW_AMOUNTS: { RUB: '50000.00' } });
    const audited: AuditEvent[] = [];
    engine.deps.audit = async (event) => void audited.push(event);
    const denied = await engine.createOrder({ tenantId: 'demo-a', direction: 'payin', body: payin({ customerRef: 'fraudster' }), actor: merchantA });
    const d = await engine.assignOrder('demo-a', denied.id);
    assert.equal(d.outcome, 'failed');
    assert.equal(d.order.failureReason, 'fraud-denied');
    assert.deepEqual(d.order.fraud?.reasons, ['customer-blocked']);
    const big = await engine.createOrder({ tenantId: 'demo-a', direction: 'payin', body: payin({ amount: '60000.00', customerRef: 'big' }), actor: merchantA });
    assert.equal((await engine.assignOrder('demo-a', big.id)).outcome, 'review');
    const support: Actor = { role: 'support', id: 'sup', tenantId: 'platform' };
    assert.equal((await engine.applyOrderAction(support, 'demo-a', big.id, { action: 'approve_review' })).status, 'new');
    assert.equal((await engine.assignOrder('demo-a', big.id)).outcome, 'assigned');
    // Each decision audited once, though the reviewed order was assigned twice; support's approval too.
    assert.deepEqual(
      audited.map((e) => [e.action, e.targetId, e.detail]),
      [
        ['order.fraud-check', denied.id, 'DENY'],
        ['order.fraud-check', big.id, 'REVIEW'],
        ['order.status-change', big.id, 'approve_review:review->new'],
      ],
    );
  });

  it('should retry with backoff when nothing fits and fail after MAX_ORDER_RETRIES', async () => {
    const engine = fx.engine({ MAX_ORDER_RETRIES: 2, RETRY_BASE_DELAY_SECONDS: 10 });
    const order = await engine.createOrder({ tenantId: 'demo-a', direction: 'payin', body: payin({ currency: 'USD', method: 'sbp', customerRef: 'nofit' }), actor: merchantA });
    const first = await engine.assignOrder('demo-a', order.id);
    assert.equal(first.outcome, 'retrying');
    assert.equal(first.nextAttemptAt, new Date(fx.clock.now().getTime() + 10_000).toISOString());
    assert.equal((await engine.assignOrder('demo-a', order.id)).outcome, 'unchanged'); // early duplicate delivery
    fx.clock.advance(10_000);
    const second = await engine.assignOrder('demo-a', order.id);
    assert.equal(second.outcome, 'retrying');
    assert.equal(second.order.retryCount, 2);
    fx.clock.advance(20_000);
    const last = await engine.assignOrder('demo-a', order.id);
    assert.equal(last.outcome, 'failed');
    assert.equal(last.order.failureReason, 'no-requisite-available');
    fx.clock.advance(-30_000);
  });

  it('should reconcile the ledger after all of the above', async () => {
    const report = await fx.engine().reconcile();
    assert.deepEqual({ ok: report.ok, mismatches: report.mismatches, incomplete: report.incompleteJournals }, { ok: true, mismatches: [], incomplete: [] });
    assert.ok(report.postings > 0);
  });
});
