/** Authentication: API keys for tenant integrations, JWTs for users. */
import type { Container } from '@azure/cosmos';
import type { AuthConfig } from './auth-config';
import { type Authenticator, createAuthenticator } from './authenticate';
import { createJwtVerifier } from './jwt';
import { CosmosTenantStore } from './tenant-store';

export { ROLES, type Role, type Principal, type PrincipalKind, requireRoles, isRole, principalName } from './principal';
export { type AuthConfig, authConfigSchema, authConfigFromSettings, AUTH_SETTINGS } from './auth-config';
export { type Authenticator, createAuthenticator } from './authenticate';
export { createJwtVerifier, type JwtVerifier } from './jwt';
export { signLocalToken } from './local-token';
export { issueApiKey, registerApiKey, revokeApiKey, parseApiKey, hashApiKey } from './api-key';
export { type Tenant, tenantSchema, MAX_API_KEYS } from './tenant';
export { type TenantStore, CosmosTenantStore, KEY_INDEX_PARTITION } from './tenant-store';

/** Wires the default authenticator: tenants from Cosmos (`tenants` container), JWTs per `config.mode`. */
export function createAuth(config: AuthConfig, tenantsContainer: Container): { authenticate: Authenticator; tenants: CosmosTenantStore } {
  const tenants = new CosmosTenantStore(tenantsContainer);
  const authenticate = createAuthenticator({ tenants, verifyJwt: createJwtVerifier(config), apiKeyPepper: config.apiKeyPepper });
  return { authenticate, tenants };
}
