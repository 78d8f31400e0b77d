import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import type { Principal } from '../../../../shared/auth';
import { requirePlatformTenant } from '../../../../shared/auth/platform-tenant';
import { orderTenantScope, subjectOf } from '../../../../shared/orders/staff-scope';

describe('staff scope', () => {
  const user = (tenantId: string): Principal => ({ kind: 'user', tenantId, subject: 's', roles: ['admin'] });

  it('should limit merchant-tenant staff to their tenant and let platform staff see all', () => {
    assert.equal(orderTenantScope(user('demo-a')), 'demo-a');
    assert.equal(orderTenantScope(user('platform')), undefined);
  });

  it('should refuse platform records to a merchant tenant with a stable type', () => {
    assert.throws(() => requirePlatformTenant(user('demo-a')), (e: unknown) => (e as { code?: string; status?: number }).code === 'platform-tenant-required' && (e as { status?: number }).status === 403);
    requirePlatformTenant(user('platform'));
  });

  it('should take trader and team-lead ids from the token subject only', () => {
    assert.equal(subjectOf(user('demo-a')), 's');
    assert.equal(subjectOf({ kind: 'apiKey', tenantId: 'demo-a', keyId: 'k' }), '');
  });
});
