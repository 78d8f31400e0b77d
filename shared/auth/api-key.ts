import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { conflict } from '../errors';
import { MAX_API_KEYS, type StoredApiKey, type Tenant, tenantIdSchema } from './tenant';

/**
 * API key format: `vk.<tenantId>.<keyId>.<secret>`.
 * - The tenant id makes the lookup one point read in the `tenants` container
 *   (partition = id = tenant id): O(1), no cross-partition query.
 * - The key id picks which of the (at most two) stored hashes to compare.
 * - The secret is 32 random bytes, so a fast keyed hash (HMAC-SHA256 with a
 *   pepper) is enough; a slow password hash (scrypt) would only add latency to
 *   every request, since there is nothing low-entropy to protect.
 */
const KEY_PATTERN = /^vk\.([a-z0-9-]{1,63})\.([0-9a-f]{12})\.([A-Za-z0-9_-]{43})$/;

export interface ParsedApiKey {
  tenantId: string;
  keyId: string;
}

/** Splits a presented key into its public parts; undefined when it is not a Vouch key. */
export function parseApiKey(apiKey: string): ParsedApiKey | undefined {
  const m = KEY_PATTERN.exec(apiKey);
  if (!m || !m[1] || !m[2] || !tenantIdSchema.safeParse(m[1]).success) return undefined;
  return { tenantId: m[1], keyId: m[2] };
}

export function hashApiKey(apiKey: string, pepper: string): string {
  return createHmac('sha256', pepper).update(apiKey, 'utf8').digest('hex');
}

/** Returns the stored key matching `apiKey`, comparing hashes in constant time. */
export function matchApiKey(tenant: Tenant, apiKey: string, pepper: string): StoredApiKey | undefined {
  const parsed = parseApiKey(apiKey);
  if (parsed && parsed.tenantId !== tenant.tenantId) return undefined;
  const keyId = parsed?.keyId ?? registeredKeyId(hashApiKey(apiKey, pepper));
  const stored = tenant.apiKeys.find((k) => k.keyId === keyId);
  if (!stored) return undefined;
  const presented = Buffer.from(hashApiKey(apiKey, pepper), 'hex');
  return timingSafeEqual(presented, Buffer.from(stored.hash, 'hex')) ? stored : undefined;
}

/** Key id of a key registered as-is (not minted by `issueApiKey`): the start of its hash. */
const registeredKeyId = (hash: string): string => hash.slice(0, 12);

/**
 * Adds a key chosen outside Vouch (the demo keys, a migrated key) to a tenant.
 * Such a key does not name its tenant, so the caller must also index its hash
 * (`CosmosTenantStore.indexKeyHash`) for the one-read lookup.
 */
export function registerApiKey(tenant: Tenant, apiKey: string, pepper: string, now: Date): { tenant: Tenant; hash: string } {
  const hash = hashApiKey(apiKey, pepper);
  const stored: StoredApiKey = { keyId: registeredKeyId(hash), hash, createdAt: now.toISOString() };
  const others = tenant.apiKeys.filter((k) => k.keyId !== stored.keyId);
  const kept = others.sort((a, b) => b.createdAt.localeCompare(a.createdAt)).slice(0, MAX_API_KEYS - 1);
  return { tenant: { ...tenant, apiKeys: [...kept, stored] }, hash };
}

/** 409 when a tenant already holds its two keys: one must be revoked before another is minted. */
export const apiKeyLimitReached = (tenantId: string) =>
  conflict('api-key-limit-reached', `Tenant ${tenantId} already has ${MAX_API_KEYS} active API keys; revoke one before creating another`, { maxKeys: MAX_API_KEYS });

/**
 * Mints a new key for `tenant` and returns the updated tenant and the raw key, which is shown
 * once and never stored. A rotation is: mint the new key, move the integration, revoke the old
 * one. Minting never silently drops a key that may still be in use, so a third key is refused.
 */
export function issueApiKey(tenant: Tenant, pepper: string, now: Date, options: { storeId?: string } = {}): { tenant: Tenant; apiKey: string; keyId: string } {
  if (tenant.apiKeys.length >= MAX_API_KEYS) throw apiKeyLimitReached(tenant.tenantId);
  const keyId = randomBytes(6).toString('hex');
  const apiKey = `vk.${tenant.tenantId}.${keyId}.${randomBytes(32).toString('base64url')}`;
  const stored: StoredApiKey = {
    keyId,
    hash: hashApiKey(apiKey, pepper),
    createdAt: now.toISOString(),
    ...(options.storeId === undefined ? {} : { storeId: options.storeId }),
  };
  return { tenant: { ...tenant, apiKeys: [...tenant.apiKeys, stored] }, apiKey, keyId };
}

/** Drops a key (the end of a rotation). */
export function revokeApiKey(tenant: Tenant, keyId: string): Tenant {
  return { ...tenant, apiKeys: tenant.apiKeys.filter((k) => k.keyId !== keyId) };
}
