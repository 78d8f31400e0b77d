import { DomainError } from '../errors';
import type { Principal } from './principal';

/**
 * The tenant of the deployment's operator rather than a merchant: it owns traders, requisites and
 * rates, and its admins own the deployment-wide settings.
 */
export const PLATFORM_TENANT = 'platform';

/** 403 `platform-tenant-required` unless the caller's token belongs to the platform tenant. */
export function requirePlatformTenant(principal: Principal, what = 'Traders, team leads and requisites'): void {
  if (principal.tenantId !== PLATFORM_TENANT) {
    throw new DomainError('platform-tenant-required', `${what} belong to the '${PLATFORM_TENANT}' tenant; this token is for '${principal.tenantId}'`, 403);
  }
}
