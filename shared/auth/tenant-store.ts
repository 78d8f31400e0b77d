import type { Container } from '@azure/cosmos';
import { conflict } from '../errors';
import { type Clock, systemClock } from '../platform/clock';
import { isConflict, isPreconditionFailed } from '../platform/cosmos-status';
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
 * with a short in-process cache: every authenticated request needs the tenant. A write
 * through this store (a revoked key) takes effect on this instance at once; other
 * instances see it when their cached copy expires, within `cacheTtlMs`.
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

  /** Creates a tenant; 409 `tenant-exists` when the id is taken (never overwrites one). */
  async create(tenant: Tenant): Promise<Tenant> {
    const valid = tenantSchema.parse(tenant);
    try {
      await this.container.items.create(valid);
    } catch (e) {
      if (isConflict(e)) throw conflict('tenant-exists', `Tenant ${valid.tenantId} already exists`);
      throw e;
    }
    this.remember(valid);
    return valid;
  }

  /**
   * ETag-conditional read-modify-write of the stored tenant (never the cached copy), so two admins
   * minting keys at once cannot both pass the two-key limit. Undefined when there is no such tenant.
   */
  async update(tenantId: string, change: (tenant: Tenant) => Tenant): Promise<Tenant | undefined> {
    for (let attempt = 1; ; attempt++) {
      const { resource, etag } = await this.container.item(tenantId, tenantId).read();
      if (resource === undefined) return undefined;
      const next = tenantSchema.parse(change(tenantSchema.parse(resource)));
      try {
        await this.container.item(tenantId, tenantId).replace(next, { accessCondition: { type: 'IfMatch', condition: etag ?? '' } });
      } catch (e) {
        if (isPreconditionFailed(e) && attempt < 5) continue;
        throw e;
      }
      this.remember(next);
      return next;
    }
  }

  /** The stored tenant, bypassing (and refreshing) the cache: for admin reads. */
  async getFresh(tenantId: string): Promise<Tenant | undefined> {
    const { resource } = await this.container.item(tenantId, tenantId).read();
    const tenant = resource === undefined ? undefined : tenantSchema.parse(resource);
    if (tenant) this.remember(tenant);
    return tenant;
  }

  /** Every tenant (a platform admin's list; tenants are few), read fresh. */
  async list(): Promise<Tenant[]> {
    const { resources } = await this.container.items
      .query({ query: 'SELECT * FROM c WHERE c.tenantId != @index', parameters: [{ name: '@index', value: KEY_INDEX_PARTITION }] })
      .fetchAll();
    return resources.map((r) => tenantSchema.parse(r)).sort((a, b) => a.tenantId.localeCompare(b.tenantId));
  }

  private remember(tenant: Tenant): void {
    this.cache.set(tenant.tenantId, { tenant, expiresAt: this.clock.now().getTime() + this.ttlMs });
  }

  /** Writes a tenant (seeding, key rotation) and refreshes this instance's cache. */
  async put(tenant: Tenant): Promise<void> {
    const valid = tenantSchema.parse(tenant);
    await this.container.items.upsert(valid);
    this.remember(valid);
  }
}
