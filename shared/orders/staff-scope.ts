/**
 * Which data a staff token may reach.
 *
 * Orders are merchant data (partition = merchant tenant): a staff token of a
 * merchant tenant reads only that tenant's orders; a token of the `platform`
 * tenant (the gateway's own staff) reads every merchant's. Traders, team leads
 * and requisites are platform records: only platform admins manage them all,
 * while traders and team leads reach just the records that name them (their
 * token subject), whatever tenant their token carries.
 */
import type { Principal } from '../auth/principal';
import { DomainError } from '../errors';
import { PLATFORM_TENANT } from './documents';

/** The merchant tenant the caller's order reads are limited to; undefined = all tenants (platform staff). */
export const orderTenantScope = (principal: Principal): string | undefined =>
  principal.tenantId === PLATFORM_TENANT ? undefined : principal.tenantId;

/** 403 `platform-tenant-required` unless the caller's token belongs to the platform tenant. */
export function requirePlatformTenant(principal: Principal, what = 'Traders, team leads and requisites'): void {
  if (principal.tenantId !== PLATFORM_TENANT) {
    throw new DomainError('platform-tenant-required', `${what} belong to the '${PLATFORM_TENANT}' tenant; this token is for '${principal.tenantId}'`, 403);
  }
}

/** The token subject of a user principal (traders' and team leads' record ids). */
export const subjectOf = (principal: Principal): string => (principal.kind === 'user' ? principal.subject : '');
