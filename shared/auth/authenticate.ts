import type { HttpRequest } from '@azure/functions';
import { DomainError, unauthorized } from '../errors';
import { hashApiKey, matchApiKey, parseApiKey } from './api-key';
import type { JwtVerifier } from './jwt';
import type { Principal } from './principal';
import type { TenantStore } from './tenant-store';

/** Turns a request's credentials into a principal, or throws 401/403. */
export type Authenticator = (request: HttpRequest) => Promise<Principal>;

export interface AuthenticatorDeps {
  tenants: TenantStore;
  verifyJwt: JwtVerifier;
  /** `API_KEY_PEPPER`. */
  apiKeyPepper: string;
}

/**
 * `x-api-key` (tenant integrations) or `Authorization: Bearer <jwt>` (users).
 * Every API-key failure gives the same 401 so callers cannot probe which tenants
 * or key ids exist.
 */
export function createAuthenticator(deps: AuthenticatorDeps): Authenticator {
  return async (request) => {
    const apiKey = request.headers.get('x-api-key');
    if (apiKey !== null) return authenticateApiKey(apiKey.trim(), deps);
    const authorization = request.headers.get('authorization');
    const bearer = authorization ? /^Bearer\s+(\S+)$/i.exec(authorization)?.[1] : undefined;
    if (bearer) return deps.verifyJwt(bearer);
    throw unauthorized();
  };
}

async function authenticateApiKey(apiKey: string, deps: AuthenticatorDeps): Promise<Principal> {
  // A minted key names its tenant; a registered one is found through its hash's index entry.
  const tenantId = parseApiKey(apiKey)?.tenantId ?? (await deps.tenants.ownerOfKeyHash(hashApiKey(apiKey, deps.apiKeyPepper)));
  if (!tenantId) throw unauthorized('Invalid API key');
  const tenant = await deps.tenants.get(tenantId);
  const key = tenant && matchApiKey(tenant, apiKey, deps.apiKeyPepper);
  if (!tenant || !key) throw unauthorized('Invalid API key');
  if (tenant.status !== 'active') throw new DomainError('tenant-suspended', 'This tenant is suspended', 403);
  return { kind: 'apiKey', tenantId: tenant.tenantId, keyId: key.keyId, ...(key.storeId === undefined ? {} : { storeId: key.storeId }) };
}
