import type * as Jose from 'jose';
import type { Role } from './principal';

export interface LocalTokenInput {
  secret: string;
  issuer: string;
  audience: string;
  subject: string;
  tenantId: string;
  roles: Role[];
  /** Lifetime in seconds; default 3600. */
  expiresInS?: number;
  /** Issue time; default now. */
  now?: Date;
}

/** Signs an HS256 token that local mode accepts (used by `npm run token` and tests). */
export async function signLocalToken(input: LocalTokenInput): Promise<string> {
  const iat = Math.floor((input.now ?? new Date()).getTime() / 1000);
  // jose loads only when a token is signed (local tooling), never at cold start.
  const { SignJWT } = require('jose') as typeof Jose;
  return new SignJWT({ tenant: input.tenantId, roles: input.roles })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(input.subject)
    .setIssuer(input.issuer)
    .setAudience(input.audience)
    .setIssuedAt(iat)
    .setExpirationTime(iat + (input.expiresInS ?? 3600))
    .sign(new TextEncoder().encode(input.secret));
}
