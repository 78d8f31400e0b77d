/** A merchant tenant's stores (platform admins): create or change one, list them. Changes are audited. */
import { app } from '@azure/functions';
import { apiRoute } from '../shared/http/api-route';
import { z } from 'zod';
import { requirePlatformTenant } from '../shared/auth/platform-tenant';
import { tenantIdSchema } from '../shared/auth/tenant';
import { httpHandler, json, ok } from '../shared/http';
import { FUNCTIONS } from '../shared/names';
import { listStores, putStore, putStoreBodySchema, storeIdParams } from '../shared/orders/merchant/store-admin';
import { auditCall, requireRolesAudited } from '../shared/wiring/audit';
import { authenticate } from '../shared/wiring/auth';
import { orderEngine } from '../shared/wiring/orders';
import { tenantAdmin } from '../shared/wiring/tenant-admin';

const platformAdmins = { auth: authenticate, accept: ['user' as const] };

app.http(FUNCTIONS.adminPutStore, {
  route: apiRoute('v1/admin/tenants/{id}/stores/{storeId}'),
  methods: ['PUT'],
  authLevel: 'anonymous',
  handler: httpHandler(platformAdmins, async (call) => {
    const { id, storeId } = call.params(storeIdParams);
    const target = { targetType: 'store' as const, targetId: `${id}/${storeId}` };
    await requireRolesAudited(call, ['admin'], 'store.put', target);
    try {
      requirePlatformTenant(call.principal, 'Merchant stores');
    } catch (refused) {
      await auditCall(call, 'store.put', target, 'denied');
      throw refused;
    }
    const body = await call.body(putStoreBodySchema);
    await (await tenantAdmin()).getTenant(id); // 404 for a tenant that was never onboarded
    const { store, created } = await putStore((await orderEngine(call.log)).deps, id, storeId, body);
    await auditCall(call, 'store.put', target, 'success', { detail: created ? 'created' : 'updated' });
    return json(created ? 201 : 200, store, created ? { location: `/api/v1/admin/tenants/${id}/stores/${storeId}` } : {});
  }),
});

app.http(FUNCTIONS.adminListStores, {
  route: apiRoute('v1/admin/tenants/{id}/stores'),
  methods: ['GET'],
  authLevel: 'anonymous',
  handler: httpHandler({ ...platformAdmins, roles: ['admin'] }, async (call) => {
    requirePlatformTenant(call.principal, 'Merchant stores');
    const { id } = call.params(z.object({ id: tenantIdSchema }));
    return ok({ items: await listStores((await orderEngine(call.log)).deps, id) });
  }),
});
