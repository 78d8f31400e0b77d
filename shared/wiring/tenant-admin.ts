/** Onboarding as the HTTP routes use it: the same tenant store the authenticator reads, so a revoked key fails on this instance at once. */
import { config } from '../config';
import { systemClock } from '../platform/clock';
import { createTenantAdmin, type TenantAdmin } from '../tenants/tenant-admin';
import { recordAudit } from './audit';
import { tenantStore } from './auth';
import { lazy } from './lazy';

export const tenantAdmin: () => Promise<TenantAdmin> = lazy(async () =>
  createTenantAdmin({ tenants: await tenantStore(), pepper: config().API_KEY_PEPPER, clock: systemClock, audit: (event) => recordAudit(event) }),
);
