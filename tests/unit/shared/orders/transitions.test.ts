import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { DomainError } from '../../../../shared/errors';
import type { Actor } from '../../../../shared/orders/schemas';
import { nextStatus, ownsOrder, type TransitionSubject } from '../../../../shared/orders/transitions';

const merchantA: Actor = { role: 'merchant', id: 'u1', tenantId: 'demo-a' };
const merchantB: Actor = { role: 'merchant', id: 'u2', tenantId: 'demo-b' };
const trader1: Actor = { role: 'trader', id: 't1', traderId: 'trader-1' };
const trader2: Actor = { role: 'trader', id: 't2', traderId: 'trader-2' };
const lead: Actor = { role: 'teamlead', id: 'l1', teamLeadId: 'teamlead-1' };
const support: Actor = { role: 'support', id: 's1', tenantId: 'platform' };
const system: Actor = { role: 'system', id: 'system' };

const order = (status: TransitionSubject['status'], direction: TransitionSubject['direction'] = 'payin'): TransitionSubject => ({
  status, direction, tenantId: 'demo-a', traderId: 'trader-1', teamLeadId: 'teamlead-1',
});

function code(fn: () => unknown): string | undefined {
  try { fn(); return undefined; } catch (e) { return e instanceof DomainError ? `${e.status} ${e.code}` : 'other'; }
}

describe('order transitions', () => {
  it('should walk a pay-in through its happy path', () => {
    assert.equal(nextStatus(order('new'), 'assign', system), 'assigned');
    assert.equal(nextStatus(order('assigned'), 'confirm_payment', merchantA), 'awaiting_confirmation');
    assert.equal(nextStatus(order('awaiting_confirmation'), 'confirm', trader1), 'completed');
  });

  it('should let only the paying side confirm a pay-out', () => {
    assert.equal(nextStatus(order('assigned', 'payout'), 'confirm_payment', trader1), 'awaiting_confirmation');
    assert.equal(nextStatus(order('awaiting_confirmation', 'payout'), 'confirm', merchantA), 'completed');
    assert.equal(code(() => nextStatus(order('awaiting_confirmation', 'payout'), 'confirm', trader1)), '403 forbidden');
    assert.equal(code(() => nextStatus(order('assigned'), 'confirm', merchantA)), '403 forbidden');
  });

  it('should answer 409 illegal-transition with the current status', () => {
    try {
      nextStatus(order('completed'), 'cancel', merchantA);
      assert.fail('expected a throw');
    } catch (e) {
      assert.ok(e instanceof DomainError);
      assert.equal(e.status, 409);
      assert.equal(e.code, 'illegal-transition');
      assert.equal(e.details['currentStatus'], 'completed');
    }
  });

  it('should check ownership before the transition', () => {
    assert.equal(code(() => nextStatus(order('assigned'), 'cancel', merchantB)), '403 forbidden');
    assert.equal(code(() => nextStatus(order('awaiting_confirmation'), 'confirm', trader2)), '403 forbidden');
    assert.equal(nextStatus(order('awaiting_confirmation'), 'confirm', lead), 'completed');
    assert.equal(ownsOrder({ role: 'merchant', id: 'x' }, order('new')), false);
  });

  it('should keep engine steps to the system', () => {
    assert.equal(code(() => nextStatus(order('new'), 'assign', support)), '403 forbidden');
    assert.equal(code(() => nextStatus(order('assigned'), 'expire', merchantA)), '403 forbidden');
    assert.equal(nextStatus(order('assigned'), 'expire', system), 'expired');
    assert.equal(code(() => nextStatus(order('awaiting_confirmation'), 'expire', system)), '409 illegal-transition');
  });

  it('should let traders decline only assigned orders and dispute only awaiting ones', () => {
    assert.equal(nextStatus(order('assigned'), 'cancel', trader1), 'cancelled');
    assert.equal(code(() => nextStatus({ ...order('new'), traderId: 'trader-1' }, 'cancel', trader1)), '403 forbidden');
    assert.equal(nextStatus(order('awaiting_confirmation'), 'dispute', trader1), 'disputed');
    assert.equal(code(() => nextStatus(order('expired'), 'dispute', trader1)), '403 forbidden');
    assert.equal(nextStatus(order('expired'), 'dispute', merchantA), 'disputed');
    assert.equal(code(() => nextStatus(order('expired', 'payout'), 'dispute', merchantA)), '403 forbidden');
  });

  it('should let staff resolve disputes and reviews', () => {
    assert.equal(nextStatus(order('disputed'), 'resolve_complete', support), 'completed');
    assert.equal(nextStatus(order('disputed'), 'resolve_cancel', support), 'cancelled');
    assert.equal(nextStatus(order('review'), 'approve_review', support), 'new');
    assert.equal(nextStatus(order('review'), 'reject_review', support), 'failed');
    assert.equal(code(() => nextStatus(order('disputed'), 'resolve_complete', merchantA)), '403 forbidden');
  });

  it("should refuse neutral decisions to a merchant tenant's own staff but let them dispute", () => {
    const merchantSupport: Actor = { role: 'support', id: 's2', tenantId: 'demo-a' };
    const merchantAdmin: Actor = { role: 'admin', id: 'a2', tenantId: 'demo-a' };
    for (const actor of [merchantSupport, merchantAdmin]) {
      assert.equal(code(() => nextStatus(order('disputed'), 'resolve_complete', actor)), '403 platform-staff-required');
      assert.equal(code(() => nextStatus(order('disputed'), 'resolve_cancel', actor)), '403 platform-staff-required');
      assert.equal(code(() => nextStatus(order('review'), 'approve_review', actor)), '403 platform-staff-required');
      assert.equal(code(() => nextStatus(order('review'), 'reject_review', actor)), '403 platform-staff-required');
    }
    assert.equal(nextStatus(order('awaiting_confirmation'), 'dispute', merchantSupport), 'disputed');
    assert.equal(code(() => nextStatus(order('awaiting_confirmation'), 'dispute', { ...merchantSupport, tenantId: 'demo-b' })), '403 forbidden');
    assert.equal(code(() => nextStatus(order('disputed'), 'resolve_complete', { role: 'admin', id: 'no-tenant' })), '403 platform-staff-required');
  });
  it("should let the payer say a pay-in was paid, and do nothing else", () => {
    const payer: Actor = { role: 'payer', id: 'payer:o1', tenantId: 'demo-a' };
    assert.equal(nextStatus(order('assigned'), 'confirm_payment', payer), 'awaiting_confirmation');
    assert.equal(code(() => nextStatus(order('assigned'), 'confirm_payment', { ...payer, tenantId: 'demo-b' })), '403 forbidden');
    assert.equal(code(() => nextStatus(order('assigned', 'payout'), 'confirm_payment', payer)), '403 forbidden');
    for (const action of ['confirm', 'cancel', 'dispute', 'resolve_complete'] as const) {
      assert.equal(code(() => nextStatus(order('awaiting_confirmation'), action, payer)), '403 forbidden', action);
    }
  });
});
