import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { signWebhook, verifyWebhookSignature } from '../../../../shared/webhooks/signature';

const SECRET = 'whsec_' + 'k'.repeat(40);
const body = JSON.stringify({ id: 'v1:verification.completed:approved', type: 'verification.completed', createdAt: '2026-01-01T00:00:00.000Z', data: {} });

describe('webhook signatures', () => {
  it('should round-trip: what we sign, a receiver verifies', () => {
    const header = signWebhook(SECRET, body, 1_767_225_600);
    assert.match(header, /^t=1767225600,v1=[0-9a-f]{64}$/);
    assert.deepEqual(verifyWebhookSignature(SECRET, header, body, 300, 1_767_225_650), { ok: true, timestampS: 1_767_225_600 });
  });

  it('should reject a changed body, a wrong secret and a stale timestamp', () => {
    const header = signWebhook(SECRET, body, 1000);
    assert.deepEqual(verifyWebhookSignature(SECRET, header, body.replace('approved', 'rejected'), 300, 1000), { ok: false, reason: 'mismatch' });
    assert.deepEqual(verifyWebhookSignature('other-secret', header, body, 300, 1000), { ok: false, reason: 'mismatch' });
    assert.deepEqual(verifyWebhookSignature(SECRET, header, body, 300, 1301), { ok: false, reason: 'stale' });
  });

  it('should reject malformed headers without throwing', () => {
    for (const h of ['', 't=1', 'v1=abc', 't=x,v1=' + 'a'.repeat(64), 't=1,v1=zz']) {
      assert.deepEqual(verifyWebhookSignature(SECRET, h, body, 300, 1), { ok: false, reason: 'malformed' }, h);
    }
  });

  it('should accept any of several v1 entries (secret rotation)', () => {
    const good = signWebhook(SECRET, body, 1000).split(',')[1];
    assert.equal(verifyWebhookSignature(SECRET, `t=1000,v1=${'0'.repeat(64)},${good}`, body, 300, 1000).ok, true);
  });
});
