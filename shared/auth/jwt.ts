import type * as Jose from 'jose';
import type { JWTPayload } from 'jose';
import { z } from 'zod';
import { DomainError, unauthorized } from '../errors';
import type { AuthConfig } from './auth-config';
import { isRole, type Principal } from './principal';

/** Checks a bearer token and returns the user it names. */
export type JwtVerifier = (token: string) => Promise<Extract<Principal, { kind: 'user' }>>;

const subjectSchema = z.string().min(1);
const tenantSchema = z.string().min(1);
// An array (Entra ID app roles, Auth0) or a space-separated string (some OIDC providers' `scope`-style claims).
const rolesSchema = z.union([z.array(z.string()), z.string().transform((s) => s.split(/\s+/).filter(Boolean))]);

/** A claim by its exact name (`https://vouch.example/tenant` is one name), else by dotted path (`realm_access.roles`). */
export function readClaim(payload: JWTPayload, name: string): unknown {
  if (name in payload) return payload[name];
  let value: unknown = payload;
  for (const part of name.split('.')) {
    if (typeof value !== 'object' || value === null || !(part in value)) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

// jose loads on the first token, not at cold start.
const jose = (): typeof Jose => require('jose') as typeof Jose;

/** Algorithms accepted per mode; pinning them blocks algorithm-confusion tokens. */
const LOCAL_ALGORITHMS = ['HS256'];
const AZURE_ALGORITHMS = ['RS256', 'ES256'];

/**
 * Azure mode verifies against the identity provider's JWKS (fetched and cached by
 * jose); local mode against the HS256 secret `LOCAL_JWT_SECRET`. Both check
 * signature, `exp` (required) and `nbf`, issuer and audience, then map the tenant
 * and roles from the claims `JWT_TENANT_CLAIM` / `JWT_ROLES_CLAIM` name.
 */
export function createJwtVerifier(
  config: Pick<AuthConfig, 'mode' | 'jwtIssuer' | 'jwtAudience' | 'jwksUrl' | 'localJwtSecret'> & Partial<Pick<AuthConfig, 'rolesClaim' | 'tenantClaim'>>,
): JwtVerifier {
  // `exp` is required: a token without it would never expire (jose checks `exp` only when present).
  const options = { issuer: config.jwtIssuer, audience: config.jwtAudience, clockTolerance: 30, requiredClaims: ['exp', 'sub'] };
  const rolesClaim = config.rolesClaim ?? 'roles';
  const tenantClaim = config.tenantClaim ?? 'tenant';
  const verify =
    config.mode === 'azure'
      ? azureVerify(config.jwksUrl, { ...options, algorithms: AZURE_ALGORITHMS })
      : localVerify(config.localJwtSecret, { ...options, algorithms: LOCAL_ALGORITHMS });
  return async (token) => {
    const payload = await verify(token).catch((e: unknown) => {
      throw e instanceof jose().errors.JWTExpired ? unauthorized('Token expired') : unauthorized('Invalid token');
    });
    const subject = subjectSchema.safeParse(payload.sub);
    const tenant = tenantSchema.safeParse(readClaim(payload, tenantClaim));
    const roles = rolesSchema.safeParse(readClaim(payload, rolesClaim) ?? []);
    if (!subject.success || !tenant.success || !roles.success) throw unauthorized(`Token lacks sub, ${tenantClaim} or ${rolesClaim} claims`);
    // Unknown roles (other apps' roles from a shared identity provider) are dropped, not fatal.
    return { kind: 'user', tenantId: tenant.data, subject: subject.data, roles: roles.data.filter(isRole) };
  };
}

type VerifyOptions = { issuer: string; audience: string; clockTolerance: number; requiredClaims: string[]; algorithms: string[] };

function azureVerify(jwksUrl: string | undefined, options: VerifyOptions) {
  if (!jwksUrl) throw new DomainError('config-invalid', 'JWKS_URL is required in azure mode', 500, {}, false);
  const jwks = jose().createRemoteJWKSet(new URL(jwksUrl));
  return async (token: string): Promise<JWTPayload> => (await jose().jwtVerify(token, jwks, options)).payload;
}

function localVerify(secret: string | undefined, options: VerifyOptions) {
  if (!secret) throw new DomainError('config-invalid', 'LOCAL_JWT_SECRET is required in local mode', 500, {}, false);
  const key = new TextEncoder().encode(secret);
  return async (token: string): Promise<JWTPayload> => (await jose().jwtVerify(token, key, options)).payload;
}
