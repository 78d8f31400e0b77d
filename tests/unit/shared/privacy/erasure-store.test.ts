import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { addItems, toErasureView } from '../../../../shared/privacy/erasure-store';
import { subjectHash } from '../../../../shared/privacy/subject-hash';

describe('addItems', () => {
  it('it should add counts kind by kind in a fixed order, and overwrite the kinds it is told to set', () => {
    const items = addItems([{ kind: 'order-customer-ref', count: 1 }], [
      { kind: 'verification-media', count: 3 },
      { kind: 'order-customer-ref', count: 2 },
    ]);
    assert.deepEqual(items, [
      { kind: 'verification-media', count: 3 },
      { kind: 'order-customer-ref', count: 3 },
    ]);
    assert.deepEqual(addItems(items, [], [{ kind: 'verification-record', count: 2 }]), [
      { kind: 'verification-media', count: 3 },
      { kind: 'verification-record', count: 2 },
      { kind: 'order-customer-ref', count: 3 },
    ]);
  });
});

describe('toErasureView', () => {
  it('it should show status and receipt and never the subjectRef', () => {
    const view = toErasureView({
      id: 'e1',
      tenantId: 'demo-a',
      type: 'subject-erasure',
      status: 'pending',
      subjectHash: subjectHash('key', 'demo-a', 'person-1'),
      subjectRef: 'person-1',
      requestedAt: '2026-11-23T12:00:00.000Z',
      items: [],
    });
    assert.equal(JSON.stringify(view).includes('person-1'), false);
    assert.deepEqual(view.receipt, { items: [] });
  });
});

describe('subjectHash', () => {
  it('it should depend on key, tenant and subject', () => {
    const base = subjectHash('key', 'demo-a', 'person-1');
    assert.match(base, /^[0-9a-f]{64}$/);
    assert.notEqual(base, subjectHash('other', 'demo-a', 'person-1'));
    assert.notEqual(base, subjectHash('key', 'demo-b', 'person-1'));
    assert.notEqual(base, subjectHash('key', 'demo-a', 'person-2'));
  });
});
