import { z } from 'zod';

/**
 * The settings authentication needs, as the lead's config module hands them over.
 * `mode` decides how bearer tokens are verified: a JWKS URL on Azure, a shared
 * HS256 secret locally.
 */
export const authConfigSchema = z
  .object({
    mode: z.enum(['local', 'azure']),
    /** Expected `iss` claim. Setting `JWT_ISSUER`. */
    jwtIssuer: z.string().min(1),
    /** Expected `aud` claim. Setting `JWT_AUDIENCE`. */
    jwtAudience: z.string().min(1),
    /** Key set of the identity provider (azure mode). Setting `JWKS_URL`. */
    jwksUrl: z.url({ protocol: /^https$/ }).optional(),
    /**
     * Claim holding the user's roles: an array or a space-separated string. A name that is not a
     * top-level claim is read as a dotted path (`realm_access.roles`). Setting `JWT_ROLES_CLAIM`.
     */
    rolesClaim: z.string().min(1).default('roles'),
    /** Claim naming the Vouch tenant (exact name first, then a dotted path). Setting `JWT_TENANT_CLAIM`. */
    tenantClaim: z.string().min(1).default('tenant'),
    /** HS256 secret, at least 32 characters (local mode). Setting `LOCAL_JWT_SECRET`. */
    localJwtSecret: z.string().min(32).optional(),
    /**
     * HMAC key for API-key hashes, so a copy of the tenants container alone cannot
     * check a guessed key. Setting `API_KEY_PEPPER` (Key Vault reference on Azure).
     */
    apiKeyPepper: z.string().min(16),
  })
  .superRefine((c, ctx) => {
    if (c.mode === 'azure' && !c.jwksUrl) {
      ctx.addIssue({ code: 'custom', path: ['jwksUrl'], message: 'JWKS_URL is required in azure mode' });
    }
    if (c.mode === 'local' && !c.localJwtSecret) {
      ctx.addIssue({ code: 'custom', path: ['localJwtSecret'], message: 'LOCAL_JWT_SECRET is required in local mode' });
    }
  });

export type AuthConfig = z.output<typeof authConfigSchema>;

/** App-setting name for each field, for config loaders and error messages. */
export const AUTH_SETTINGS = {
  mode: 'VOUCH_MODE',
  jwtIssuer: 'JWT_ISSUER',
  jwtAudience: 'JWT_AUDIENCE',
  jwksUrl: 'JWKS_URL',
  rolesClaim: 'JWT_ROLES_CLAIM',
  tenantClaim: 'JWT_TENANT_CLAIM',
  localJwtSecret: 'LOCAL_JWT_SECRET',
  apiKeyPepper: 'API_KEY_PEPPER',
} as const satisfies Record<keyof AuthConfig, string>;

/** Reads the auth fields from app settings (e.g. `process.env`) and validates them. */
export function authConfigFromSettings(settings: Record<string, string | undefined>): AuthConfig {
  const raw = Object.fromEntries(
    Object.entries(AUTH_SETTINGS).map(([field, name]) => [field, settings[name] || undefined]),
  );
  return authConfigSchema.parse(raw);
}
