import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Principal, Role } from '../../../../../shared/auth/principal';
import { DomainError } from '../../../../../shared/errors';
import { reviewScope } from '../../../../../shared/kyc/review/review-scope';

const user = (tenantId: string, ...roles: Role[]): Principal => ({ kind: 'user', tenantId, subject: 'sam', roles });
const forbidden = (e: unknown) => e instanceof DomainError && e.status === 403;

describe('review scope', () => {
  it("it should limit a tenant's reviewer to that tenant", () => {
    assert.deepEqual(reviewScope(user('demo-a', 'reviewer')), { tenantId: 'demo-a', reviewer: 'user:sam', reviewerTenantId: 'demo-a' });
    assert.equal(reviewScope(user('demo-a', 'reviewer'), 'demo-a').tenantId, 'demo-a');
    assert.throws(() => reviewScope(user('demo-a', 'reviewer'), 'demo-b'), forbidden);
  });

  it('it should give platform operators, admins and reviewers every tenant, or the one they name', () => {
    for (const role of ['operator', 'admin', 'reviewer'] as const) {
      assert.equal(reviewScope(user('platform', role)).tenantId, undefined);
      assert.equal(reviewScope(user('platform', role), 'demo-b').tenantId, 'demo-b');
    }
  });

  it('it should refuse API keys, other roles and merchant-tenant admins with 403', () => {
    const apiKey: Principal = { kind: 'apiKey', tenantId: 'demo-a', keyId: 'k1' };
    for (const p of [apiKey, user('demo-a', 'admin'), user('demo-a', 'operator'), user('demo-a', 'support'), user('platform', 'trader'), user('platform', 'support')]) {
      assert.throws(() => reviewScope(p), forbidden, JSON.stringify(p));
    }
  });
});
