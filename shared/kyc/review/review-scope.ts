/**
 * Who works the review queue, and which tenants' cases they reach.
 *
 * - A user with the role `reviewer` works its own tenant's cases only.
 * - Platform staff (a token of the `platform` tenant with `operator`, `admin` or `reviewer`) work every
 *   tenant's cases; they may narrow a request to one tenant with `tenantId`.
 * Everyone else (API keys, other roles, a merchant tenant's `operator` or `admin`) gets 403.
 */
import { PLATFORM_TENANT } from '../../auth/platform-tenant';
import { type Principal, requireRoles, type Role } from '../../auth/principal';
import { forbidden } from '../../errors';

/** The roles that make a platform-tenant user a reviewer of every tenant. */
const PLATFORM_REVIEW_ROLES: Role[] = ['operator', 'admin', 'reviewer'];

export interface ReviewScope {
  /** The one tenant whose cases the caller reaches; undefined = every tenant (platform staff). */
  tenantId: string | undefined;
  /** The reviewer as audit entries and the record name them (`user:<sub>`). */
  reviewer: string;
  /** The tenant of the reviewer's token. */
  reviewerTenantId: string;
}

/** The caller's review scope, narrowed to `requestedTenantId` when given; 403 for anyone who may not review. */
export function reviewScope(principal: Principal, requestedTenantId?: string): ReviewScope {
  if (principal.kind !== 'user') throw forbidden('The review desk is for people: use a user token with the reviewer role');
  const base = { reviewer: `user:${principal.subject}`, reviewerTenantId: principal.tenantId };
  if (principal.tenantId === PLATFORM_TENANT) {
    requireRoles(principal, ...PLATFORM_REVIEW_ROLES);
    return { ...base, tenantId: requestedTenantId };
  }
  requireRoles(principal, 'reviewer');
  if (requestedTenantId !== undefined && requestedTenantId !== principal.tenantId) {
    throw forbidden(`A reviewer of '${principal.tenantId}' reaches only that tenant's cases`);
  }
  return { ...base, tenantId: principal.tenantId };
}
