import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_ITEM_TTL_S, toAuditEntry, toAuditEntryView } from '../../../../shared/audit/audit-entry';
import type { AuditEvent } from '../../../../shared/audit/audit-event';
import { hashIp, hashSubjectRef } from '../../../../shared/audit/audit-hash';
import { fraudCheckEvent } from '../../../../shared/audit/fraud-check-event';

const PEPPER = 'pepper-for-tests-0123456789';
const at = new Date('2026-11-23T12:00:00.000Z');
const event: AuditEvent = {
  action: 'settings.update',
  tenantId: 'acme',
  actor: 'user:alice',
  roles: ['admin'],
  targetType: 'settings',
  targetId: 'kyc',
  outcome: 'success',
  correlationId: 'corr-1',
  ip: '203.0.113.7:52114',
};

describe('toAuditEntry', () => {
  it('should store the IP only as a keyed hash', () => {
    const entry = toAuditEntry(event, { at, pepper: PEPPER, retentionDays: 30 });
    assert.equal(entry.ipHash, hashIp('203.0.113.7', PEPPER));
    assert.ok(!JSON.stringify(entry).includes('203.0.113.7'));
    assert.equal(toAuditEntry({ ...event, ip: 'garbage' }, { at, pepper: PEPPER, retentionDays: 30 }).ipHash, null);
  });

  it('should hash a subject target id and keep other ids as they are', () => {
    const subject = toAuditEntry({ ...event, action: 'subject.erase', targetType: 'subject', targetId: 'customer-42' }, { at, pepper: PEPPER, retentionDays: 30 });
    assert.equal(subject.targetId, hashSubjectRef('acme', 'customer-42', PEPPER));
    assert.ok(!JSON.stringify(subject).includes('customer-42'));
    assert.equal(toAuditEntry(event, { at, pepper: PEPPER, retentionDays: 30 }).targetId, 'kyc');
  });

  it('should set expiresAt and the Cosmos ttl from the retention days', () => {
    const entry = toAuditEntry(event, { at, pepper: PEPPER, retentionDays: 30, id: 'fixed' });
    assert.equal(entry.id, 'fixed');
    assert.equal(entry.at, '2026-11-23T12:00:00.000Z');
    assert.equal(entry.expiresAt, '2026-12-23T12:00:00.000Z');
    assert.equal(entry.ttl, 30 * 86_400);
    assert.equal(toAuditEntry(event, { at, pepper: PEPPER, retentionDays: 100_000 }).ttl, MAX_ITEM_TTL_S);
  });

  it('should keep the fields the trail names and show them without ttl', () => {
    const view = toAuditEntryView(toAuditEntry(event, { at, pepper: PEPPER, retentionDays: 1, id: 'x' }));
    assert.deepEqual(Object.keys(view).sort(), [
      'action', 'actor', 'at', 'correlationId', 'expiresAt', 'id', 'ipHash', 'outcome', 'roles', 'targetId', 'targetType', 'tenantId',
    ]);
  });

  it('should record a fraud decision as the detail of a system entry', () => {
    const entry = toAuditEntry(fraudCheckEvent('acme', 'ord-1', 'DENY', 'corr-9'), { at, pepper: PEPPER, retentionDays: 1 });
    assert.equal(entry.actor, 'system:fraud');
    assert.deepEqual(entry.roles, ['system']);
    assert.equal(entry.action, 'order.fraud-check');
    assert.equal(entry.targetId, 'ord-1');
    assert.equal(entry.detail, 'DENY');
    assert.equal(entry.ipHash, null);
  });
});
