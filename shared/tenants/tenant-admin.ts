/**
 * Onboarding: a platform admin creates tenants, mints and revokes their API keys and registers their
 * default webhook endpoint. One core for both doors, the HTTP routes (`functions/tenant-admin.ts`,
 * `functions/webhook-endpoints.ts`) and the CLI (`scripts/admin.ts`), so the
 * rules (id format, two active keys, audit of every action) cannot differ between them.
 */
import { z } from 'zod';
import { issueApiKey, revokeApiKey } from '../auth/api-key';
import { PLATFORM_TENANT } from '../auth/platform-tenant';
import { type StoredApiKey, type Tenant, tenantIdSchema } from '../auth/tenant';
import type { CosmosTenantStore } from '../auth/tenant-store';
import type { AuditEvent } from '../audit/audit-event';
import { DomainError, notFound } from '../errors';
import type { Clock } from '../platform/clock';
import { createEndpointBodySchema, type EndpointView, endpointView } from '../webhooks/endpoint';
import type { WebhookEndpointStore } from '../webhooks/endpoint-store';

export const createTenantBodySchema = z.strictObject({
  /** Slug used inside API keys and blob paths. */
  id: tenantIdSchema.refine((id) => id !== PLATFORM_TENANT, `'${PLATFORM_TENANT}' is reserved for the operator of the deployment`),
  name: z.string().trim().min(1).max(200),
});
export type CreateTenantBody = z.infer<typeof createTenantBodySchema>;

export const issueKeyBodySchema = z.strictObject({
  /** The merchant store the key acts for; absent means the tenant's default store. */
  storeId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'letters, digits, _ and -, at most 64').optional(),
});
export type IssueKeyBody = z.infer<typeof issueKeyBodySchema>;

export const keyIdSchema = z.string().regex(/^[0-9a-f]{12}$/, '12 hex digits');

/** Who performs an onboarding action, for its audit entry. */
export interface AdminActor {
  /** `user:<sub>` for a token, `cli:<login>` for the CLI. */
  actor: string;
  roles: string[];
  correlationId: string;
  /** Raw caller IP (hashed by the audit store); absent for the CLI. */
  ip?: string;
}

export interface TenantAdminDeps {
  tenants: CosmosTenantStore;
  /** `API_KEY_PEPPER`. */
  pepper: string;
  clock: Clock;
  /** Appends an audit entry; never throws for a storage failure (see `recordAudit`). */
  audit(event: AuditEvent): Promise<void>;
  /** The tenants' webhook endpoints (the same store as `/api/v1/webhooks/endpoints`). */
  webhooks?: WebhookEndpointStore;
}

/** A tenant's default webhook endpoint, as onboarding sets it up (the endpoint API's create body). */
export const onboardWebhookBodySchema = createEndpointBodySchema;
export type OnboardWebhookBody = z.output<typeof onboardWebhookBodySchema>;

/** What an admin sees of a key: never its hash. */
export interface ApiKeyView {
  keyId: string;
  createdAt: string;
  storeId?: string;
}

/** What an admin sees of a tenant: metadata, no secrets (webhook secret and key hashes stay stored). */
export interface TenantView {
  id: string;
  name: string;
  status: Tenant['status'];
  createdAt?: string;
  apiKeys: ApiKeyView[];
}

const keyView = (k: StoredApiKey): ApiKeyView => ({ keyId: k.keyId, createdAt: k.createdAt, ...(k.storeId === undefined ? {} : { storeId: k.storeId }) });

export const tenantView = (t: Tenant): TenantView => ({
  id: t.tenantId,
  name: t.name,
  status: t.status,
  ...(t.createdAt === undefined ? {} : { createdAt: t.createdAt }),
  apiKeys: t.apiKeys.map(keyView),
});

export interface TenantAdmin {
  createTenant(body: CreateTenantBody, by: AdminActor): Promise<TenantView>;
  /** Mints a key; `key` is the only copy of the secret there will ever be. */
  issueKey(tenantId: string, body: IssueKeyBody, by: AdminActor): Promise<{ keyId: string; key: string; tenant: TenantView }>;
  /** Removes a key; 404 when the tenant or key does not exist. */
  revokeKey(tenantId: string, keyId: string, by: AdminActor): Promise<void>;
  listTenants(): Promise<TenantView[]>;
  getTenant(tenantId: string): Promise<TenantView>;
  /** Registers a webhook endpoint for a tenant; the view carries its signing secret, shown this once. */
  addWebhookEndpoint(tenantId: string, body: OnboardWebhookBody, by: AdminActor): Promise<EndpointView>;
  listWebhookEndpoints(tenantId: string): Promise<EndpointView[]>;
}

export function createTenantAdmin(deps: TenantAdminDeps): TenantAdmin {
  // Onboarding entries belong to the platform tenant's trail: the platform acted, on a merchant.
  const audit = (by: AdminActor, action: AuditEvent['action'], targetType: AuditEvent['targetType'], targetId: string, outcome: AuditEvent['outcome'] = 'success', detail?: string) =>
    deps.audit({
      action,
      tenantId: PLATFORM_TENANT,
      actor: by.actor,
      roles: by.roles,
      targetType,
      targetId,
      outcome,
      correlationId: by.correlationId,
      ...(by.ip === undefined ? {} : { ip: by.ip }),
      ...(detail === undefined ? {} : { detail }),
    });

  /** Runs `work`; a refusal (4xx) is audited as `failed` with its code before it propagates. */
  async function audited<T>(by: AdminActor, action: AuditEvent['action'], targetType: AuditEvent['targetType'], targetId: string, work: () => Promise<T>): Promise<T> {
    try {
      const result = await work();
      await audit(by, action, targetType, targetId);
      return result;
    } catch (error) {
      if (error instanceof DomainError) await audit(by, action, targetType, targetId, 'failed', error.code);
      throw error;
    }
  }

  const tenantNotFound = (tenantId: string) => notFound(`Tenant ${tenantId}`);
  const webhookStore = () => {
    if (!deps.webhooks) throw new Error('Tenant admin was built without the webhook endpoint store');
    return deps.webhooks;
  };

  return {
    createTenant: (body, by) =>
      audited(by, 'tenant.create', 'tenant', body.id, async () => {
        const tenant: Tenant = { id: body.id, tenantId: body.id, name: body.name, status: 'active', createdAt: deps.clock.now().toISOString(), apiKeys: [] };
        return tenantView(await deps.tenants.create(tenant));
      }),

    async issueKey(tenantId, body, by) {
      let minted: { keyId: string; key: string } | undefined;
      const updated = await audited(by, 'apikey.create', 'tenant', tenantId, async () => {
        const tenant = await deps.tenants.update(tenantId, (current) => {
          // A retried ETag write mints afresh: the key of a lost write was never stored.
          const issued = issueApiKey(current, deps.pepper, deps.clock.now(), body);
          minted = { keyId: issued.keyId, key: issued.apiKey };
          return issued.tenant;
        });
        if (!tenant || !minted) throw tenantNotFound(tenantId);
        return tenant;
      });
      if (!minted) throw tenantNotFound(tenantId);
      return { ...minted, tenant: tenantView(updated) };
    },

    revokeKey: (tenantId, keyId, by) =>
      audited(by, 'apikey.revoke', 'apikey', `${tenantId}/${keyId}`, async () => {
        let found = false;
        const tenant = await deps.tenants.update(tenantId, (current) => {
          found = current.apiKeys.some((k) => k.keyId === keyId);
          return revokeApiKey(current, keyId);
        });
        if (!tenant) throw tenantNotFound(tenantId);
        if (!found) throw notFound(`API key ${keyId} of tenant ${tenantId}`);
      }),

    listTenants: async () => (await deps.tenants.list()).map(tenantView),

    async getTenant(tenantId) {
      const tenant = await deps.tenants.getFresh(tenantId);
      if (!tenant) throw tenantNotFound(tenantId);
      return tenantView(tenant);
    },

    addWebhookEndpoint: (tenantId, body, by) =>
      audited(by, 'webhook.create', 'tenant', tenantId, async () => {
        if (!(await deps.tenants.getFresh(tenantId))) throw tenantNotFound(tenantId);
        return endpointView(await webhookStore().create(tenantId, body), true);
      }),

    listWebhookEndpoints: async (tenantId) => (await webhookStore().list(tenantId)).map((e) => endpointView(e)),
  };
}
