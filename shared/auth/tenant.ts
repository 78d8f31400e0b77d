import { z } from 'zod';

/** Tenant ids are short slugs: they appear inside API keys and blob paths. */
export const tenantIdSchema = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'lowercase letters, digits and dashes');

/** A stored API key: only its public id and a keyed hash, never the key. */
export const storedApiKeySchema = z.object({
  /** Public, random id embedded in the key; picks the hash to compare without a search. */
  keyId: z.string().regex(/^[0-9a-f]{12}$/),
  /** Hex HMAC-SHA256 (keyed by `API_KEY_PEPPER`) of the whole key. */
  hash: z.string().regex(/^[0-9a-f]{64}$/),
  createdAt: z.iso.datetime(),
  /** The merchant store the key acts for; absent means the tenant's default store. */
  storeId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/).optional(),
});
export type StoredApiKey = z.infer<typeof storedApiKeySchema>;

/** Two keys at most, so a tenant can roll a new key before retiring the old one. */
export const MAX_API_KEYS = 2;

/** Document in the `tenants` container (partition `/tenantId`, `id` = tenant id). */
export const tenantSchema = z.object({
  id: z.string(),
  tenantId: tenantIdSchema,
  name: z.string().min(1),
  status: z.enum(['active', 'suspended']),
  /** When the tenant was onboarded (absent on tenants seeded before onboarding existed). */
  createdAt: z.iso.datetime().optional(),
  apiKeys: z.array(storedApiKeySchema).max(MAX_API_KEYS),
  /** Signing secret of the tenant's webhooks, and their default URL (events may name their own `callbackUrl`). */
  webhook: z.object({ url: z.url().optional(), secret: z.string().min(32) }).optional(),
});
export type Tenant = z.infer<typeof tenantSchema>;
