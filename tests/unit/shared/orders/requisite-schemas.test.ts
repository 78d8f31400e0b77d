import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { DomainError } from '../../../../shared/errors';
import {
  adminRequisitePutSchema,
  createRequisiteBodySchema,
  maskAccountNumber,
  mergeLimits,
  patchedStatus,
  toRequisiteView,
  traderRequisitePatchSchema,
} from '../../../../shared/orders/requisite-schemas';
import { requisiteFixture } from './fixtures';

const zero = { minOrderMinor: 0, maxOrderMinor: 0, dailyLimitMinor: 0, monthlyLimitMinor: 0 };
const limits = { minOrder: '100.00', maxOrder: '50000', dailyLimit: '500000.00', monthlyLimit: '5000000.00' };

function fieldsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof DomainError);
    assert.equal(e.code, 'validation-failed');
    return (e.details['errors'] as { path: string }[]).map((x) => x.path);
  }
  assert.fail('expected a validation failure');
}

describe('requisite schemas', () => {
  it('should turn decimal limits into minor units of the currency', () => {
    assert.deepEqual(mergeLimits('RUB', zero, limits), { minOrderMinor: 10_000, maxOrderMinor: 5_000_000, dailyLimitMinor: 50_000_000, monthlyLimitMinor: 500_000_000 });
    assert.equal(mergeLimits('JPY', zero, { minOrder: '100', maxOrder: '100', dailyLimit: '100', monthlyLimit: '100' }).minOrderMinor, 100);
  });

  it('should name the field whose precision is too fine for the currency', () => {
    assert.deepEqual(fieldsOf(() => mergeLimits('RUB', zero, { ...limits, dailyLimit: '1.001' })), ['dailyLimit']);
  });

  it('should require min ≤ max ≤ daily ≤ monthly and a positive minimum', () => {
    assert.deepEqual(fieldsOf(() => mergeLimits('RUB', zero, { minOrder: '0', maxOrder: '10', dailyLimit: '5', monthlyLimit: '1' })), ['minOrder', 'dailyLimit', 'monthlyLimit']);
    const current = requisiteFixture();
    assert.deepEqual(fieldsOf(() => mergeLimits('RUB', current, { maxOrder: '1.00' })), ['maxOrder']);
  });

  it('should keep limits not in the patch', () => {
    const current = requisiteFixture();
    const next = mergeLimits('RUB', current, { dailyLimit: '60000.00' });
    assert.equal(next.dailyLimitMinor, 6_000_000);
    assert.equal(next.minOrderMinor, current.minOrderMinor);
  });

  it('should map paused to inactive and keep the status when none is sent', () => {
    assert.equal(patchedStatus('paused', 'active'), 'inactive');
    assert.equal(patchedStatus(undefined, 'blocked'), 'blocked');
    assert.equal(toRequisiteView(requisiteFixture({ status: 'inactive' }), 'admin', new Date('2026-11-23T12:00:00Z')).status, 'paused');
  });

  it('should reject unknown fields, float amounts and empty patches', () => {
    assert.equal(traderRequisitePatchSchema.safeParse({ status: 'blocked' }).success, false, 'a trader cannot block');
    assert.equal(traderRequisitePatchSchema.safeParse({}).success, false);
    assert.equal(traderRequisitePatchSchema.safeParse({ usage: { dayMinor: 0 } }).success, false, 'counters are not writable');
    assert.equal(adminRequisitePutSchema.safeParse({ status: 'blocked' }).success, true);
    const body = { method: 'card', bank: 'sber', currency: 'RUB', ownerName: 'Ivan P.', accountNumber: '2202 2000 0000 4411', ...limits };
    assert.equal(createRequisiteBodySchema.safeParse(body).success, true);
    assert.equal(createRequisiteBodySchema.safeParse({ ...body, minOrder: 100 }).success, false);
    assert.equal(createRequisiteBodySchema.safeParse({ ...body, currency: 'XXX' }).success, false);
  });

  it('should show the full number only to the owner, and usage as of now', () => {
    const doc = requisiteFixture({ usage: { day: '2026-11-22', dayMinor: 5_000, month: '2026-11', monthMinor: 7_000 } });
    const now = new Date('2026-11-23T12:00:00Z');
    // The caller opens the sealed number (payment-details/requisite-number.ts); only the owner's view shows it.
    assert.equal(toRequisiteView(doc, 'owner', now, '2202 2000 0000 4411').accountNumber, '2202 2000 0000 4411');
    const admin = toRequisiteView(doc, 'admin', now, '2202 2000 0000 4411');
    assert.equal(admin.accountNumber, undefined);
    assert.deepEqual(admin.usage, { day: '2026-11-23', dailyUsed: '0.00', month: '2026-11', monthlyUsed: '70.00' });
    assert.equal(admin.bank, 'sber');
    assert.equal(maskAccountNumber('+7 900 123-12-34'), '**** 1234');
  });
});
