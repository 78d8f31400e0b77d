import { app } from '@azure/functions';
import { z } from 'zod';
import { type Principal, principalName } from '../shared/auth';
import { requirePlatformTenant } from '../shared/auth/platform-tenant';
import { tenantIdSchema } from '../shared/auth/tenant';
import { callerIp } from '../shared/audit/caller-ip';
import type { AuditAction, AuditTargetType } from '../shared/audit/audit-event';
import { type ApiCall, created, httpHandler, json, noContent, ok } from '../shared/http';
import { FUNCTIONS } from '../shared/names';
import { type AdminActor, createTenantBodySchema, issueKeyBodySchema, keyIdSchema } from '../shared/tenants/tenant-admin';
import { auditCall, principalRoles, requireRolesAudited } from '../shared/wiring/audit';
import { authenticate } from '../shared/wiring/auth';
import { tenantAdmin } from '../shared/wiring/tenant-admin';

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
  route: 'v1/admin/tenants',
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
  route: 'v1/admin/tenants',
  methods: ['GET'],
  authLevel: 'anonymous',
  handler: httpHandler({ ...platformAdmins, roles: ['admin'] }, async (call) => {
    requirePlatformTenant(call.principal, 'Tenants and API keys');
    return ok({ items: await (await tenantAdmin()).listTenants() });
  }),
});

app.http(FUNCTIONS.adminGetTenant, {
  route: 'v1/admin/tenants/{id}',
  methods: ['GET'],
  authLevel: 'anonymous',
  handler: httpHandler({ ...platformAdmins, roles: ['admin'] }, async (call) => {
    requirePlatformTenant(call.principal, 'Tenants and API keys');
    return ok(await (await tenantAdmin()).getTenant(call.params(tenantParams).id));
  }),
});

app.http(FUNCTIONS.adminListApiKeys, {
  route: 'v1/admin/tenants/{id}/api-keys',
  methods: ['GET'],
  authLevel: 'anonymous',
  handler: httpHandler({ ...platformAdmins, roles: ['admin'] }, async (call) => {
    requirePlatformTenant(call.principal, 'Tenants and API keys');
    return ok({ items: (await (await tenantAdmin()).getTenant(call.params(tenantParams).id)).apiKeys });
  }),
});

// The secret is in this one answer only (stored as a peppered hash), so the answer must not be cached.
app.http(FUNCTIONS.adminCreateApiKey, {
  route: 'v1/admin/tenants/{id}/api-keys',
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
  route: 'v1/admin/tenants/{id}/api-keys/{keyId}',
  methods: ['DELETE'],
  authLevel: 'anonymous',
  handler: httpHandler(platformAdmins, async (call) => {
    const { id, keyId } = call.params(keyParams);
    const by = await requirePlatformAdmin(call, 'apikey.revoke', 'apikey', `${id}/${keyId}`);
    await (await tenantAdmin()).revokeKey(id, keyId, by);
    return noContent();
  }),
});
