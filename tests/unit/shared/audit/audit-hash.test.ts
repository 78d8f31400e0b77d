import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { describe, it } from 'node:test';
import { hashIp, hashSubjectRef } from '../../../../shared/audit/audit-hash';

const PEPPER = 'pepper-for-tests-0123456789';

describe('audit hashes', () => {
  it('should hash an IP with the pepper and never contain it', () => {
    const hash = hashIp('203.0.113.7', PEPPER);
    assert.match(hash, /^[0-9a-f]{64}$/);
    assert.equal(hash, createHmac('sha256', PEPPER).update('ip:203.0.113.7').digest('hex'));
    assert.ok(!hash.includes('203'));
  });

  it('should give one IP one hash, and change with the pepper', () => {
    assert.equal(hashIp('2001:DB8::1', PEPPER), hashIp('2001:db8::1', PEPPER));
    assert.notEqual(hashIp('203.0.113.7', PEPPER), hashIp('203.0.113.8', PEPPER));
    assert.notEqual(hashIp('203.0.113.7', PEPPER), hashIp('203.0.113.7', `${PEPPER}x`));
  });

  it('should hash a subjectRef per tenant, unlike an IP hash of the same text', () => {
    const a = hashSubjectRef('acme', 'customer-42', PEPPER);
    assert.match(a, /^[0-9a-f]{64}$/);
    assert.equal(a, hashSubjectRef('acme', 'customer-42', PEPPER));
    assert.notEqual(a, hashSubjectRef('globex', 'customer-42', PEPPER));
    assert.notEqual(hashSubjectRef('acme', '1.2.3.4', PEPPER), hashIp('1.2.3.4', PEPPER));
  });
});
