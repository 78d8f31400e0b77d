import type * as Jose from 'jose';
import type { JWTPayload } from 'jose';
import { z } from 'zod';
import { DomainError, unauthorized } from '../errors';
import type { AuthConfig } from './auth-config';
import { isRole, type Principal } from './principal';

/** Checks a bearer token and returns the user it names. */
export type JwtVerifier = (token: string) => Promise<Extract<Principal, { kind: 'user' }>>;

const claimsSchema = z.object({
  sub: z.string().min(1),
  tenant: z.string().min(1),
  // Unknown roles (other apps' roles from a shared identity provider) are dropped, not fatal.
  roles: z.array(z.string()).default([]),
});

// jose loads on the first token, not at cold start.
const jose = (): typeof Jose => require('jose') as typeof Jose;

/** Algorithms accepted per mode; pinning them blocks algorithm-confusion tokens. */
const LOCAL_ALGORITHMS = ['HS256'];
const AZURE_ALGORITHMS = ['RS256', 'ES256'];

/**
 * Azure mode verifies against the identity provider's JWKS (fetched and cached by
 * jose); local mode against the HS256 secret `LOCAL_JWT_SECRET`. Both check
 * signature, `exp`/`nbf`, issuer and audience.
 */
export function createJwtVerifier(
  config: Pick<AuthConfig, 'mode' | 'jwtIssuer' | 'jwtAudience' | 'jwksUrl' | 'localJwtSecret'>,
): JwtVerifier {
  const options = { issuer: config.jwtIssuer, audience: config.jwtAudience, clockTolerance: 30 };
  const verify =
    config.mode === 'azure'
      ? azureVerify(config.jwksUrl, { ...options, algorithms: AZURE_ALGORITHMS })
      : localVerify(config.localJwtSecret, { ...options, algorithms: LOCAL_ALGORITHMS });
  return async (token) => {
    const payload = await verify(token).catch((e: unknown) => {
      throw e instanceof jose().errors.JWTExpired ? unauthorized('Token expired') : unauthorized('Invalid token');
    });
    const claims = claimsSchema.safeParse(payload);
    if (!claims.success) throw unauthorized('Token lacks sub, tenant or roles claims');
    return { kind: 'user', tenantId: claims.data.tenant, subject: claims.data.sub, roles: claims.data.roles.filter(isRole) };
  };
}

type VerifyOptions = { issuer: string; audience: string; clockTolerance: number; algorithms: string[] };

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
