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
import { PLATFORM_TENANT } from '../auth/platform-tenant';

/** The merchant tenant the caller's order reads are limited to; undefined = all tenants (platform staff). */
export const orderTenantScope = (principal: Principal): string | undefined =>
  principal.tenantId === PLATFORM_TENANT ? undefined : principal.tenantId;

/** The token subject of a user principal (traders' and team leads' record ids). */
export const subjectOf = (principal: Principal): string => (principal.kind === 'user' ? principal.subject : '');
