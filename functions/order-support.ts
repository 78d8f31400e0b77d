/** Support (JWT role support or admin): the order list, filtered and paginated, within the caller's tenant scope. */
import { app } from '@azure/functions';
import { apiRoute } from '../shared/http/api-route';
import { z } from 'zod';
import { httpHandler, ok } from '../shared/http';
import { FUNCTIONS } from '../shared/names';
import { listOrdersPage } from '../shared/orders/order-queries';
import { pageQuerySchema } from '../shared/orders/paging';
import { orderTenantScope } from '../shared/orders/staff-scope';
import { ORDER_STATUSES } from '../shared/orders/transitions';
import { toOrderView } from '../shared/orders/view';
import { authenticate } from '../shared/wiring/auth';
import { orderEngine } from '../shared/wiring/orders';

export const supportOrdersQuery = pageQuerySchema.extend({
  status: z.enum(ORDER_STATUSES).optional(),
  traderId: z.string().min(1).max(64).optional(),
});

app.http(FUNCTIONS.listSupportOrders, {
  route: apiRoute('v1/support/orders'),
  methods: ['GET'],
  authLevel: 'anonymous',
  handler: httpHandler({ auth: authenticate, accept: ['user'], roles: ['support', 'admin'] }, async (call) => {
    const { status, traderId, limit, continuation } = call.query(supportOrdersQuery);
    const engine = await orderEngine(call.log);
    const role = call.principal.kind === 'user' && call.principal.roles.includes('support') ? 'support' : 'admin';
    const page = await listOrdersPage(engine.deps, { tenantId: orderTenantScope(call.principal), status, traderId }, { limit, continuation });
    return ok({ items: page.items.map((o) => toOrderView(o, role)), ...(page.continuation ? { continuation: page.continuation } : {}) });
  }),
});
