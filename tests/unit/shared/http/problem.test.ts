import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DomainError, notFound, problemType } from '../../../../shared/errors';
import { problemResponse, toProblem } from '../../../../shared/http/problem';
import { rateLimited } from '../../../../shared/http/rate-limit';

describe('toProblem', () => {
  it('should map a DomainError to its stable type, status and message', () => {
    assert.deepEqual(toProblem(notFound('Order'), { correlationId: 'c', instance: '/api/orders/1' }), {
      type: 'urn:vouch:problem:not-found',
      title: 'Not Found',
      status: 404,
      detail: 'Order not found',
      instance: '/api/orders/1',
      correlationId: 'c',
    });
  });

  it('should hide the message of a non-exposed DomainError but keep its code and status', () => {
    const p = toProblem(new DomainError('face-provider-down', 'Face API key invalid: abc', 503, {}, false), { correlationId: 'c' });
    assert.equal(p.type, problemType('face-provider-down'));
    assert.equal(p.status, 503);
    assert.doesNotMatch(p.detail, /abc/);
  });

  it('should turn anything else into a 500 internal problem', () => {
    for (const thrown of [new TypeError('x is undefined'), 'a string', { weird: true }]) {
      const p = toProblem(thrown, { correlationId: 'c' });
      assert.equal(p.type, problemType('internal'));
      assert.equal(p.status, 500);
    }
  });

  it('should not let details overwrite the standard members', () => {
    const p = toProblem(new DomainError('x', 'm', 400, { status: 200, type: 'evil', extra: 1 }), { correlationId: 'c' });
    assert.equal(p.status, 400);
    assert.equal(p.type, problemType('x'));
    assert.equal(p.extra, 1);
  });
});

describe('problemResponse', () => {
  it('should set problem+json and the error headers (Retry-After)', () => {
    const r = problemResponse(rateLimited(7), { correlationId: 'c' });
    assert.equal(r.status, 429);
    assert.deepEqual(r.headers, { 'content-type': 'application/problem+json', 'retry-after': '7' });
    assert.equal(JSON.parse(String(r.body)).retryAfterS, 7);
  });
});
