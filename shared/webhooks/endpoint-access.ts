import { type Principal, requireRoles } from '../auth/principal';
import { PLATFORM_TENANT } from '../auth/platform-tenant';
import { forbidden } from '../errors';

/**
 * Whose webhooks a call manages: an `admin` of a tenant manages its own; an admin of the
 * platform tenant may name any tenant with `?tenantId=`. Anyone else: 403.
 */
export function webhookTenantOf(principal: Principal, requested: string | undefined): string {
  requireRoles(principal, 'admin');
  if (requested === undefined || requested === principal.tenantId) return principal.tenantId;
  if (principal.tenantId !== PLATFORM_TENANT) throw forbidden('Only platform admins manage other tenants\u2019 webhooks');
  return requested;
}
