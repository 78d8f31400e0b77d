import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { requireRoles } from '../../../../shared/auth/principal';
import { DomainError } from '../../../../shared/errors';

describe('requireRoles', () => {
  const is403 = (e: unknown) => e instanceof DomainError && e.status === 403 && e.code === 'forbidden';

  it('should pass a user holding any of the roles', () => {
    requireRoles({ kind: 'user', tenantId: 't', subject: 's', roles: ['support', 'admin'] }, 'admin', 'operator');
  });

  it('should throw 403 for a user without them and for any API key', () => {
    assert.throws(() => requireRoles({ kind: 'user', tenantId: 't', subject: 's', roles: ['trader'] }, 'admin'), is403);
    assert.throws(() => requireRoles({ kind: 'apiKey', tenantId: 't', keyId: 'k' }, 'admin'), is403);
  });
});
