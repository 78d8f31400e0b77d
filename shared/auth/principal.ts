import { forbidden } from '../errors';

/** Every role a user token may carry. */
export const ROLES = ['trader', 'teamlead', 'support', 'admin', 'operator', 'reviewer'] as const;
export type Role = (typeof ROLES)[number];

export const isRole = (value: unknown): value is Role =>
  typeof value === 'string' && (ROLES as readonly string[]).includes(value);

/** Who is calling: a tenant's integration (API key) or a signed-in user (JWT). */
export type Principal =
  | {
      kind: 'apiKey';
      tenantId: string;
      /** Public id of the key that matched (never the key itself); useful in audit logs. */
      keyId: string;
      /** The merchant store the key belongs to; absent means the tenant's default store. */
      storeId?: string;
    }
  | {
      kind: 'user';
      tenantId: string;
      /** The token's `sub`. */
      subject: string;
      roles: Role[];
    };

export type PrincipalKind = Principal['kind'];

/**
 * Throws 403 unless `principal` is a user holding at least one of `roles`.
 * API-key principals never hold roles, so an endpoint that names roles is user-only.
 */
export function requireRoles(principal: Principal, ...roles: Role[]): void {
  if (principal.kind !== 'user' || !roles.some((r) => principal.roles.includes(r))) {
    throw forbidden(`Requires one of the roles: ${roles.join(', ')}`);
  }
}

/** Who acted, for audit fields: the user's subject or the API key's id. Never a secret. */
export const principalName = (p: Principal): string => (p.kind === 'user' ? `user:${p.subject}` : `apikey:${p.keyId}`);
