/** Authentication and rate limiting as every HTTP function uses them. */
import type { HttpRequest } from '@azure/functions';
import { authConfigFromSettings, createAuth, type Authenticator, type CosmosTenantStore } from '../auth';
import { guardCredentials } from '../auth/credential-guard';
import { CosmosFixedWindowRateLimiter, type RateLimiter } from '../http';
import { COSMOS_CONTAINERS } from '../names';
import { systemClock } from '../platform/clock';
import { cosmosContainer } from '../platform/cosmos';
import { lazy } from './lazy';
import { SETTINGS, settingsStore } from './settings';

/** Fixed-window limits per tenant, re-read from runtime settings so a change applies without restart. */
export const rateLimiter: RateLimiter = {
  async consume(tenantId, scope) {
    const [container, store] = await Promise.all([cosmosContainer(COSMOS_CONTAINERS.rateLimits), settingsStore()]);
    const limits = await store.get(SETTINGS.rateLimits);
    return new CosmosFixedWindowRateLimiter(container, limits).consume(tenantId, scope);
  },
};

/** Failed credential attempts per source, with the same window as the tenant limits. */
const failureLimiter: RateLimiter = {
  async consume(source, scope) {
    const [container, store] = await Promise.all([cosmosContainer(COSMOS_CONTAINERS.rateLimits), settingsStore()]);
    const { failedCredentialsPerSource, windowS } = await store.get(SETTINGS.rateLimits);
    return new CosmosFixedWindowRateLimiter(container, { limit: failedCredentialsPerSource, windowS }).consume(source, scope);
  },
};

const auth = lazy(async () => {
  const config = authConfigFromSettings(process.env);
  const built = createAuth(config, await cosmosContainer(COSMOS_CONTAINERS.tenants));
  const guarded = guardCredentials(built.authenticate, { failures: failureLimiter, users: rateLimiter, pepper: config.apiKeyPepper, clock: systemClock });
  return { ...built, authenticate: guarded };
});

export const tenantStore = async (): Promise<CosmosTenantStore> => (await auth()).tenants;

/**
 * Builds the authenticator on the first request, not at import (cold start). Every route that
 * authenticates gets the per-source limit on failed credentials and, for user tokens, the tenant's budget.
 */
export const authenticate: Authenticator = async (request: HttpRequest) => (await auth()).authenticate(request);
