import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { checkFraud } from '../../../../shared/orders/fraud';
import { defaultOrderSettings, orderSettingsSchema } from '../../../../shared/orders/settings';

const settings = orderSettingsSchema.parse({
  FRAUD_REVIEW_AMOUNTS: { RUB: '300000.00' },
  FRAUD_DENY_AMOUNTS: { RUB: '1000000.00' },
  FRAUD_MAX_ORDERS_PER_CUSTOMER: 3,
  FRAUD_MAX_ORDERS_PER_MERCHANT: 100,
  FRAUD_BLOCKED_CUSTOMERS: ['demo-a:bad-customer', 'everywhere-bad'],
  FRAUD_BLOCKED_MERCHANTS: ['demo-x'],
});
const input = { tenantId: 'demo-a', customerRef: 'c1', currency: 'RUB', amountMinor: 100_000 };
const calm = { customerOrders: 1, merchantOrders: 1 };

describe('fraud check', () => {
  it('should allow an ordinary order', () => {
    assert.deepEqual(checkFraud(input, calm, settings), { decision: 'ALLOW', reasons: [] });
  });

  it('should deny block-listed merchants and customers', () => {
    assert.equal(checkFraud({ ...input, tenantId: 'demo-x' }, calm, settings).decision, 'DENY');
    assert.deepEqual(checkFraud({ ...input, customerRef: 'bad-customer' }, calm, settings).reasons, ['customer-blocked']);
    assert.equal(checkFraud({ ...input, tenantId: 'demo-b', customerRef: 'bad-customer' }, calm, settings).decision, 'ALLOW');
    assert.equal(checkFraud({ ...input, tenantId: 'demo-b', customerRef: 'everywhere-bad' }, calm, settings).decision, 'DENY');
  });

  it('should review at the review threshold and deny at the deny threshold', () => {
    assert.equal(checkFraud({ ...input, amountMinor: 29_999_999 }, calm, settings).decision, 'ALLOW');
    assert.deepEqual(checkFraud({ ...input, amountMinor: 30_000_000 }, calm, settings), { decision: 'REVIEW', reasons: ['amount-over-review-threshold'] });
    assert.equal(checkFraud({ ...input, amountMinor: 100_000_000 }, calm, settings).decision, 'DENY');
    assert.equal(checkFraud({ ...input, currency: 'JPY', amountMinor: 10 ** 12 }, calm, settings).decision, 'ALLOW');
  });

  it('should deny customer velocity and review merchant velocity', () => {
    assert.equal(checkFraud(input, { customerOrders: 3, merchantOrders: 1 }, settings).decision, 'ALLOW');
    assert.deepEqual(checkFraud(input, { customerOrders: 4, merchantOrders: 1 }, settings).reasons, ['customer-velocity']);
    assert.deepEqual(checkFraud(input, { customerOrders: 1, merchantOrders: 101 }, settings), { decision: 'REVIEW', reasons: ['merchant-velocity'] });
  });

  it('should allow everything when disabled', () => {
    const off = { ...defaultOrderSettings(), FRAUD_ENABLED: false, FRAUD_BLOCKED_MERCHANTS: ['demo-a'] };
    assert.equal(checkFraud(input, calm, off).decision, 'ALLOW');
  });
});
