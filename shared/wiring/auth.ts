/** Authentication and rate limiting as every HTTP function uses them. */
import type { HttpRequest } from '@azure/functions';
import { authConfigFromSettings, createAuth, type Authenticator, type CosmosTenantStore } from '../auth';
import { CosmosFixedWindowRateLimiter, type RateLimiter } from '../http';
import { COSMOS_CONTAINERS } from '../names';
import { cosmosContainer } from '../platform/cosmos';
import { lazy } from './lazy';
import { SETTINGS, settingsStore } from './settings';

const auth = lazy(async () => createAuth(authConfigFromSettings(process.env), await cosmosContainer(COSMOS_CONTAINERS.tenants)));

export const tenantStore = async (): Promise<CosmosTenantStore> => (await auth()).tenants;

/** Builds the authenticator on the first request, not at import (cold start). */
export const authenticate: Authenticator = async (request: HttpRequest) => (await auth()).authenticate(request);

/** Fixed-window limits per tenant, re-read from runtime settings so a change applies without restart. */
export const rateLimiter: RateLimiter = {
  async consume(tenantId, scope) {
    const [container, store] = await Promise.all([cosmosContainer(COSMOS_CONTAINERS.rateLimits), settingsStore()]);
    const limits = await store.get(SETTINGS.rateLimits);
    return new CosmosFixedWindowRateLimiter(container, limits).consume(tenantId, scope);
  },
};
