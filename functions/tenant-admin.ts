import { app } from '@azure/functions';
import { apiRoute } from '../shared/http/api-route';
import { z } from 'zod';
import { type Principal, principalName } from '../shared/auth';
import { requirePlatformTenant } from '../shared/auth/platform-tenant';
import { tenantIdSchema } from '../shared/auth/tenant';
import { callerIp } from '../shared/audit/caller-ip';
import type { AuditAction, AuditTargetType } from '../shared/audit/audit-event';
import { type ApiCall, created, httpHandler, json, noContent, ok } from '../shared/http';
import { FUNCTIONS } from '../shared/names';
import { documentRoute, type RouteDoc } from '../shared/openapi/route-doc';
import { type AdminActor, createTenantBodySchema, issueKeyBodySchema, keyIdSchema } from '../shared/tenants/tenant-admin';
import { auditCall, principalRoles, requireRolesAudited } from '../shared/wiring/audit';
import { authenticate } from '../shared/wiring/auth';
import { tenantAdmin } from '../shared/wiring/tenant-admin';
import { view } from './openapi-docs/common';

// Onboarding belongs to the operator: admins of the platform tenant only; a refusal is audited too.
const platformAdmins = { auth: authenticate, accept: ['user' as const] };
const tenantParams = z.object({ id: tenantIdSchema });
const keyParams = z.object({ id: tenantIdSchema, keyId: keyIdSchema });

async function requirePlatformAdmin(call: ApiCall<Principal>, action: AuditAction, targetType: AuditTargetType, targetId: string): Promise<AdminActor> {
  const target = { targetType, targetId };
  await requireRolesAudited(call, ['admin'], action, target);
  try {
    requirePlatformTenant(call.principal, 'Tenants and API keys');
  } catch (refused) {
    await auditCall(call, action, target, 'denied');
    throw refused;
  }
  const ip = callerIp(call.request.headers);
  return { actor: principalName(call.principal), roles: principalRoles(call.principal), correlationId: call.correlationId, ...(ip === undefined ? {} : { ip }) };
}

app.http(FUNCTIONS.adminCreateTenant, {
  route: apiRoute('v1/admin/tenants'),
  methods: ['POST'],
  authLevel: 'anonymous',
  handler: httpHandler(platformAdmins, async (call) => {
    const by = await requirePlatformAdmin(call, 'tenant.create', 'tenant', 'new');
    const body = await call.body(createTenantBodySchema);
    const tenant = await (await tenantAdmin()).createTenant(body, by);
    return created(`/api/v1/admin/tenants/${tenant.id}`, tenant);
  }),
});

app.http(FUNCTIONS.adminListTenants, {
  route: apiRoute('v1/admin/tenants'),
  methods: ['GET'],
  authLevel: 'anonymous',
  handler: httpHandler({ ...platformAdmins, roles: ['admin'] }, async (call) => {
    requirePlatformTenant(call.principal, 'Tenants and API keys');
    return ok({ items: await (await tenantAdmin()).listTenants() });
  }),
});

app.http(FUNCTIONS.adminGetTenant, {
  route: apiRoute('v1/admin/tenants/{id}'),
  methods: ['GET'],
  authLevel: 'anonymous',
  handler: httpHandler({ ...platformAdmins, roles: ['admin'] }, async (call) => {
    requirePlatformTenant(call.principal, 'Tenants and API keys');
    return ok(await (await tenantAdmin()).getTenant(call.params(tenantParams).id));
  }),
});

app.http(FUNCTIONS.adminListApiKeys, {
  route: apiRoute('v1/admin/tenants/{id}/api-keys'),
  methods: ['GET'],
  authLevel: 'anonymous',
  handler: httpHandler({ ...platformAdmins, roles: ['admin'] }, async (call) => {
    requirePlatformTenant(call.principal, 'Tenants and API keys');
    return ok({ items: (await (await tenantAdmin()).getTenant(call.params(tenantParams).id)).apiKeys });
  }),
});

// The secret is in this one answer only (stored as a peppered hash), so the answer must not be cached.
app.http(FUNCTIONS.adminCreateApiKey, {
  route: apiRoute('v1/admin/tenants/{id}/api-keys'),
  methods: ['POST'],
  authLevel: 'anonymous',
  handler: httpHandler(platformAdmins, async (call) => {
    const { id } = call.params(tenantParams);
    const by = await requirePlatformAdmin(call, 'apikey.create', 'tenant', id);
    const hasBody = (call.request.headers.get('content-length') ?? '0') !== '0' || call.request.headers.has('content-type');
    const body = hasBody ? await call.body(issueKeyBodySchema) : {};
    const { keyId, key } = await (await tenantAdmin()).issueKey(id, body, by);
    return json(201, { keyId, key, ...(body.storeId === undefined ? {} : { storeId: body.storeId }) }, {
      location: `/api/v1/admin/tenants/${id}/api-keys/${keyId}`,
      'cache-control': 'no-store',
    });
  }),
});

app.http(FUNCTIONS.adminRevokeApiKey, {
  route: apiRoute('v1/admin/tenants/{id}/api-keys/{keyId}'),
  methods: ['DELETE'],
  authLevel: 'anonymous',
  handler: httpHandler(platformAdmins, async (call) => {
    const { id, keyId } = call.params(keyParams);
    const by = await requirePlatformAdmin(call, 'apikey.revoke', 'apikey', `${id}/${keyId}`);
    await (await tenantAdmin()).revokeKey(id, keyId, by);
    return noContent();
  }),
});

const tags = ['Platform admin'];
const platformOnly = { 403: ['platform-tenant-required'] };
const apiKey = view({ keyId: z.string(), createdAt: z.string(), storeId: z.string().optional() }, 'ApiKeyInfo', { keyId: '3f9a1c0d2b7e', createdAt: '2026-03-01T12:00:00.000Z' });
const tenant = view(
  { id: z.string(), name: z.string(), status: z.string(), createdAt: z.string().optional(), apiKeys: z.array(apiKey) },
  'Tenant',
  { id: 'acme', name: 'Acme Ltd', status: 'active', createdAt: '2026-03-01T12:00:00.000Z', apiKeys: [] },
);
const adminRoute = (doc: Omit<RouteDoc, 'tags' | 'auth'>) => documentRoute({ tags, auth: ['bearer'], ...doc, problems: { ...platformOnly, ...doc.problems } });
adminRoute({
  function: FUNCTIONS.adminCreateTenant, method: 'POST', path: '/api/v1/admin/tenants', summary: 'Onboard a tenant (platform admin; audited)',
  body: { schema: createTenantBodySchema, example: { id: 'acme', name: 'Acme Ltd' } },
  responses: { 201: { description: 'Created', schema: tenant } }, problems: { 409: ['tenant-exists'] },
});
adminRoute({
  function: FUNCTIONS.adminListTenants, method: 'GET', path: '/api/v1/admin/tenants', summary: 'Every tenant (platform admin)',
  responses: { 200: { description: 'Tenants', schema: z.object({ items: z.array(tenant) }).meta({ id: 'TenantList' }) } },
});
adminRoute({
  function: FUNCTIONS.adminGetTenant, method: 'GET', path: '/api/v1/admin/tenants/{id}', summary: 'One tenant and its keys (never a secret)', params: tenantParams,
  responses: { 200: { description: 'The tenant', schema: tenant } }, problems: { 404: ['not-found'] },
});
adminRoute({
  function: FUNCTIONS.adminListApiKeys, method: 'GET', path: '/api/v1/admin/tenants/{id}/api-keys', summary: "A tenant's API keys (ids only)", params: tenantParams,
  responses: { 200: { description: 'Keys', schema: z.object({ items: z.array(apiKey) }).meta({ id: 'ApiKeyList' }) } }, problems: { 404: ['not-found'] },
});
adminRoute({
  function: FUNCTIONS.adminCreateApiKey, method: 'POST', path: '/api/v1/admin/tenants/{id}/api-keys', summary: 'Issue an API key: the secret is in this answer only', params: tenantParams,
  body: { schema: issueKeyBodySchema, required: false, example: { storeId: 'store-1' } },
  responses: {
    201: {
      description: 'The key (store it now)',
      schema: z.object({ keyId: z.string(), key: z.string(), storeId: z.string().optional() }).meta({ id: 'IssuedApiKey', example: { keyId: '3f9a1c0d2b7e', key: 'vk.acme.3f9a1c0d2b7e.<secret>' } }),
    },
  },
  problems: { 404: ['not-found'], 409: ['api-key-limit-reached'] },
});
adminRoute({
  function: FUNCTIONS.adminRevokeApiKey, method: 'DELETE', path: '/api/v1/admin/tenants/{id}/api-keys/{keyId}', summary: 'Revoke an API key (audited)', params: keyParams,
  responses: { 204: { description: 'Revoked' } }, problems: { 404: ['not-found'] },
});
