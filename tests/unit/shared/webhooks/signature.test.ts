import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Webhook } from 'standardwebhooks';
import { generateWebhookSecret, legacySignature, signWebhook, verifyWebhookSignature } from '../../../../shared/webhooks/signature';

const body = JSON.stringify({ id: 'ver-1:verification.completed:approved', type: 'verification.completed', data: { status: 'approved' } });
const nowS = () => Math.floor(Date.now() / 1000);
const headersOf = (h: Record<string, string>) => ({ id: h['webhook-id'], timestamp: h['webhook-timestamp'], signature: h['webhook-signature'] });

describe('Standard Webhooks signatures', () => {
  it('should be verified by the published standardwebhooks library', () => {
    const secret = generateWebhookSecret();
    assert.match(secret, /^whsec_[A-Za-z0-9+/]{43}=$/);
    const headers = signWebhook({ id: 'evt-1', timestampS: nowS(), body, secrets: [secret] });
    assert.match(headers['webhook-signature']!, /^v1,[A-Za-z0-9+/]+=*$/);
    assert.deepEqual(new Webhook(secret).verify(body, headers), JSON.parse(body));
  });

  it('should sign with both secrets during a rotation, so a receiver holding either verifies', () => {
    const [current, previous] = [generateWebhookSecret(), generateWebhookSecret()];
    const headers = signWebhook({ id: 'evt-2', timestampS: nowS(), body, secrets: [current, previous] });
    assert.equal(headers['webhook-signature']!.split(' ').length, 2);
    assert.ok(new Webhook(current).verify(body, headers));
    assert.ok(new Webhook(previous).verify(body, headers));
    assert.throws(() => new Webhook(generateWebhookSecret()).verify(body, headers));
  });

  it('should be rejected by the library when the body, id or time was changed', () => {
    const secret = generateWebhookSecret();
    const headers = signWebhook({ id: 'evt-3', timestampS: nowS(), body, secrets: [secret] });
    const lib = new Webhook(secret);
    assert.throws(() => lib.verify(body.replace('approved', 'declined'), headers));
    assert.throws(() => lib.verify(body, { ...headers, 'webhook-id': 'evt-4' }));
    const stale = signWebhook({ id: 'evt-3', timestampS: nowS() - 3600, body, secrets: [secret] });
    assert.throws(() => lib.verify(body, stale));
  });

  it('should verify the demo tenants\' local secrets, which decode to readable text', () => {
    const secret = 'whsec_ZGVtby1hLXdlYmhvb2stc2VjcmV0LWxvY2FsLW9ubHktMDAwMDAx';
    const headers = signWebhook({ id: 'evt-5', timestampS: nowS(), body, secrets: [secret] });
    assert.ok(new Webhook(secret).verify(body, headers));
  });

  it('should check signatures itself as the library does: any v1 entry, within the tolerance', () => {
    const secret = generateWebhookSecret();
    const t = 1_700_000_000;
    const headers = headersOf(signWebhook({ id: 'evt-6', timestampS: t, body, secrets: [generateWebhookSecret(), secret] }));
    assert.deepEqual(verifyWebhookSignature(secret, headers, body, 300, t + 10), { ok: true, timestampS: t });
    assert.deepEqual(verifyWebhookSignature(secret, headers, body, 300, t + 301), { ok: false, reason: 'stale' });
    assert.deepEqual(verifyWebhookSignature(secret, headers, body + ' ', 300, t), { ok: false, reason: 'mismatch' });
    assert.deepEqual(verifyWebhookSignature(secret, { ...headers, timestamp: 'soon' }, body, 300, t), { ok: false, reason: 'malformed' });
  });

  it('should keep the deprecated Vouch-Signature format for receivers not yet switched', () => {
    assert.match(legacySignature('s'.repeat(32), body, 1_700_000_000), /^t=1700000000,v1=[0-9a-f]{64}$/);
  });
});
