import type { Container } from '@azure/cosmos';
import { type Clock, systemClock } from '../platform/clock';
import { type Tenant, tenantSchema } from './tenant';

/** Reads tenants; the port authentication and webhooks depend on. */
export interface TenantStore {
  /** The tenant, or undefined when there is none with this id. */
  get(tenantId: string): Promise<Tenant | undefined>;
  /** Tenant id owning a key registered by hash (keys not in the `vk.` format, e.g. the demo keys). */
  ownerOfKeyHash(hash: string): Promise<string | undefined>;
}

/** Partition of the key-hash index documents in the `tenants` container. */
export const KEY_INDEX_PARTITION = '_apikeys';

export interface CosmosTenantStoreOptions {
  /** How long a read (including "no such tenant") is reused, in ms. Default 30 000. */
  cacheTtlMs?: number;
  clock?: Clock;
}

/**
 * `TenantStore` over the `tenants` container (partition `/tenantId`, id = tenant id),
 * with a short in-process cache: every authenticated request needs the tenant, and
 * a revoked key may stay usable for at most `cacheTtlMs` on each instance.
 */
export class CosmosTenantStore implements TenantStore {
  private readonly cache = new Map<string, { tenant: Tenant | undefined; expiresAt: number }>();
  private readonly ttlMs: number;
  private readonly clock: Clock;

  constructor(
    private readonly container: Container,
    options: CosmosTenantStoreOptions = {},
  ) {
    this.ttlMs = options.cacheTtlMs ?? 30_000;
    this.clock = options.clock ?? systemClock;
  }

  async get(tenantId: string): Promise<Tenant | undefined> {
    const now = this.clock.now().getTime();
    const hit = this.cache.get(tenantId);
    if (hit && hit.expiresAt > now) return hit.tenant;
    const { resource } = await this.container.item(tenantId, tenantId).read();
    const tenant = resource === undefined ? undefined : tenantSchema.parse(resource);
    this.cache.set(tenantId, { tenant, expiresAt: now + this.ttlMs });
    return tenant;
  }

  async ownerOfKeyHash(hash: string): Promise<string | undefined> {
    const { resource } = await this.container.item(hash, KEY_INDEX_PARTITION).read<{ owner: string }>();
    return resource?.owner;
  }

  /** Records which tenant owns a key hash, so a key without the tenant in it is still one point read. */
  async indexKeyHash(hash: string, tenantId: string): Promise<void> {
    await this.container.items.upsert({ id: hash, tenantId: KEY_INDEX_PARTITION, owner: tenantId });
  }

  /** Writes a tenant (seeding, key rotation) and refreshes this instance's cache. */
  async put(tenant: Tenant): Promise<void> {
    const valid = tenantSchema.parse(tenant);
    await this.container.items.upsert(valid);
    this.cache.set(valid.tenantId, { tenant: valid, expiresAt: this.clock.now().getTime() + this.ttlMs });
  }
}
