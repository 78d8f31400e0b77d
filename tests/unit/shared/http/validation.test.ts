import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HttpRequest } from '@azure/functions';
import { z } from 'zod';
import { DomainError } from '../../../../shared/errors';
import { parseQuery } from '../../../../shared/http/validation';

const fails = (fn: () => unknown): DomainError => {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof DomainError);
    return e;
  }
  throw new Error('did not throw');
};

describe('parseQuery', () => {
  const schema = z.object({ status: z.array(z.enum(['new', 'paid'])).or(z.enum(['new', 'paid'])), limit: z.coerce.number().int().max(100) });

  it('should keep repeated keys as arrays', () => {
    const req = new HttpRequest({ method: 'GET', url: 'http://h/api/o?status=new&status=paid&limit=5' });
    assert.deepEqual(parseQuery(req, schema), { status: ['new', 'paid'], limit: 5 });
  });

  it('should name nested paths in field errors', () => {
    const req = new HttpRequest({ method: 'GET', url: 'http://h/api/o?status=new&status=bogus&limit=500' });
    const e = fails(() => parseQuery(req, schema));
    assert.equal(e.code, 'validation-failed');
    const paths = (e.details.errors as { path: string }[]).map((x) => x.path);
    assert.ok(paths.includes('limit'));
    assert.ok(paths.some((p) => p === 'status' || p === 'status.1'));
  });
});
