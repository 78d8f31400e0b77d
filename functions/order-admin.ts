/**
 * Admins of the platform tenant (JWT role admin, tenant `platform`): traders and
 * team leads (create; team, active flag, priority, commission) and every
 * requisite (status, limits).
 */
import { app } from '@azure/functions';
import { apiRoute } from '../shared/http/api-route';
import { z } from 'zod';
import type { Principal } from '../shared/auth';
import { type ApiCall, created, httpHandler, ok } from '../shared/http';
import { FUNCTIONS } from '../shared/names';
import { pageQuerySchema } from '../shared/orders/paging';
import { listRequisites, updateRequisite } from '../shared/orders/requisite-admin';
import { adminRequisitePutSchema, REQUISITE_API_STATUSES, toRequisiteView } from '../shared/orders/requisite-schemas';
import { requirePlatformTenant } from '../shared/auth/platform-tenant';
import { adminListUsers, adminPutUser, adminUserBodySchema, adminUsersQuerySchema } from '../shared/orders/users';
import { authenticate } from '../shared/wiring/auth';
import { orderEngine } from '../shared/wiring/orders';

export const idParams = z.object({ id: z.string().min(1).max(80) });
const admin = { auth: authenticate, accept: ['user' as const], roles: ['admin' as const] };
export const requisitesQuery = pageQuerySchema.extend({ traderId: z.string().min(1).max(64).optional(), status: z.enum(REQUISITE_API_STATUSES).optional() });

/** The engine, once the caller is known to be a platform admin (checked before anything is read). */
async function platformEngine(call: ApiCall<Principal>) {
  requirePlatformTenant(call.principal);
  return orderEngine(call.log);
}

app.http(FUNCTIONS.adminListUsers, {
  route: apiRoute('v1/admin/users'),
  methods: ['GET'],
  authLevel: 'anonymous',
  handler: httpHandler(admin, async (call) => {
    const engine = await platformEngine(call);
    const { role, limit, continuation } = call.query(pageQuerySchema.extend(adminUsersQuerySchema.shape));
    return ok(await adminListUsers(engine.deps, role, { limit, continuation }));
  }),
});

app.http(FUNCTIONS.adminPutUser, {
  route: apiRoute('v1/admin/users/{id}'),
  methods: ['PUT'],
  authLevel: 'anonymous',
  handler: httpHandler(admin, async (call) => {
    const engine = await platformEngine(call);
    const { id } = call.params(idParams);
    const { user, created: isNew } = await adminPutUser(engine.deps, id, await call.body(adminUserBodySchema));
    return isNew ? created(`/api/v1/admin/users/${user.id}`, user) : ok(user);
  }),
});

app.http(FUNCTIONS.adminListRequisites, {
  route: apiRoute('v1/admin/requisites'),
  methods: ['GET'],
  authLevel: 'anonymous',
  handler: httpHandler(admin, async (call) => {
    const engine = await platformEngine(call);
    const { traderId, status, limit, continuation } = call.query(requisitesQuery);
    const page = await listRequisites(engine.deps, { traderId, status: status === 'paused' ? 'inactive' : status }, { limit, continuation });
    const now = engine.deps.clock.now();
    return ok({ items: page.items.map((r) => toRequisiteView(r, 'admin', now)), ...(page.continuation ? { continuation: page.continuation } : {}) });
  }),
});

app.http(FUNCTIONS.adminPutRequisite, {
  route: apiRoute('v1/admin/requisites/{id}'),
  methods: ['PUT'],
  authLevel: 'anonymous',
  handler: httpHandler(admin, async (call) => {
    const engine = await platformEngine(call);
    const { id } = call.params(idParams);
    const patch = await call.body(adminRequisitePutSchema);
    return ok(toRequisiteView(await updateRequisite(engine.deps, id, patch, { kind: 'admin' }), 'admin', engine.deps.clock.now()));
  }),
});
