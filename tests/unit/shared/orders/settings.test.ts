import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { createOrderBodySchema } from '../../../../shared/orders/schemas';
import { defaultOrderSettings, orderSettingsSchema, retryDelaySeconds } from '../../../../shared/orders/settings';

describe('order settings and schemas', () => {
  it('should default every setting', () => {
    const s = defaultOrderSettings();
    assert.equal(s.MAX_ORDER_RETRIES, 5);
    assert.equal(s.ORDER_TIMEOUT_MINUTES, 30);
    assert.deepEqual(s.PAYMENT_METHODS, ['card', 'sbp', 'bank_transfer']);
  });

  it('should reject bad settings', () => {
    assert.equal(orderSettingsSchema.safeParse({ MAX_ORDER_RETRIES: -1 }).success, false);
    assert.equal(orderSettingsSchema.safeParse({ FRAUD_REVIEW_AMOUNTS: { RUB: '1e5' } }).success, false);
  });

  it('should back off exponentially', () => {
    const s = { ...defaultOrderSettings(), RETRY_BASE_DELAY_SECONDS: 10, RETRY_BACKOFF_FACTOR: 2 };
    assert.deepEqual([0, 1, 2, 3].map((n) => retryDelaySeconds(n, s)), [10, 20, 40, 80]);
  });

  it('should accept a valid order body and reject floats, unknown keys and bad currencies', () => {
    const ok = { amount: '1000.00', currency: 'RUB', method: 'card', customerRef: 'c-1', callbackUrl: 'https://shop.example/cb' };
    assert.equal(createOrderBodySchema.safeParse(ok).success, true);
    assert.equal(createOrderBodySchema.safeParse({ ...ok, amount: 1000 }).success, false);
    assert.equal(createOrderBodySchema.safeParse({ ...ok, currency: 'rub' }).success, false);
    assert.equal(createOrderBodySchema.safeParse({ ...ok, currency: 'XYZ' }).success, false);
    assert.equal(createOrderBodySchema.safeParse({ ...ok, extra: 1 }).success, false);
    assert.equal(createOrderBodySchema.safeParse({ ...ok, callbackUrl: 'ftp://x' }).success, false);
  });
});
