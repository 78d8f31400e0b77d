import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { auditEntryId, auditEntryTime } from '../../../../shared/audit/audit-id';

describe('auditEntryId', () => {
  it('should sort ids as strings in time order', () => {
    const times = [0, 1, 999, 1_000, 1_700_000_000_000, 1_800_000_000_000, 99_999_999_999_999];
    const ids = times.map((ms) => auditEntryId(new Date(ms)));
    assert.deepEqual([...ids].sort(), ids);
    assert.ok(ids.every((id) => id.length === ids[0]?.length), 'fixed width');
  });

  it('should make ids unique within one millisecond', () => {
    const at = new Date('2026-11-23T12:00:00.000Z');
    const ids = new Set(Array.from({ length: 1_000 }, () => auditEntryId(at)));
    assert.equal(ids.size, 1_000);
  });

  it('should carry the time it was made at', () => {
    const at = new Date('2026-11-23T12:34:56.789Z');
    assert.equal(auditEntryTime(auditEntryId(at)).toISOString(), at.toISOString());
    assert.equal(auditEntryId(at, Buffer.alloc(8)), `${at.getTime().toString(16).padStart(12, '0')}-0000000000000000`);
  });

  it('should refuse an invalid date', () => {
    assert.throws(() => auditEntryId(new Date('nope')), RangeError);
  });
});
