import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { matchesPayerToken, parsePayerToken, payerTokenFor, payerTokenHash } from '../../../../../shared/orders/payer/payer-token';

const KEY = 'a-pepper-of-at-least-16';
const ref = { tenantId: 'demo-a', orderId: '8f5007bc-4e35-c2ce-21d7-476b2071d5dc' };

describe('payer link token', () => {
  it('should name its order and be the same for the same order', () => {
    const token = payerTokenFor(KEY, ref);
    assert.deepEqual(parsePayerToken(token), ref);
    assert.equal(payerTokenFor(KEY, ref), token);
  });

  it('should differ per order and per key', () => {
    const token = payerTokenFor(KEY, ref);
    assert.notEqual(payerTokenFor(KEY, { ...ref, orderId: 'other' }), token);
    assert.notEqual(payerTokenFor('another-pepper-value', ref), token);
  });

  it('should match only its own stored hash', () => {
    const token = payerTokenFor(KEY, ref);
    assert.equal(matchesPayerToken(token, payerTokenHash(token)), true);
    assert.equal(matchesPayerToken(payerTokenFor(KEY, { ...ref, orderId: 'other' }), payerTokenHash(token)), false);
    const forged = `${token.split('.')[0]}.${'A'.repeat(43)}`;
    assert.equal(matchesPayerToken(forged, payerTokenHash(token)), false);
    assert.equal(matchesPayerToken(token, undefined), false);
    assert.equal(matchesPayerToken(token, 'not-hex'), false);
  });

  it('should refuse anything not shaped like a token', () => {
    for (const bad of ['', 'abc', 'abc.def', `${Buffer.from('no-colon').toString('base64url')}.${'A'.repeat(43)}`, `${Buffer.from('UPPER:id').toString('base64url')}.${'A'.repeat(43)}`, `${Buffer.from('demo-a:').toString('base64url')}.${'A'.repeat(43)}`]) {
      assert.equal(parsePayerToken(bad), undefined, bad);
    }
  });
});
