import { z } from 'zod';
import { FUNCTIONS } from '../../shared/names';
import { documentRoute, type HttpMethod, type RouteDoc } from '../../shared/openapi/route-doc';
import { pageQuerySchema } from '../../shared/orders/paging';
import { adminRequisitePutSchema, createRequisiteBodySchema, traderRequisitePatchSchema } from '../../shared/orders/requisite-schemas';
import { reviewBodySchema } from '../../shared/orders/staff/review-decision';
import { reasonBodySchema, resolveBodySchema } from '../../shared/orders/staff-requests';
import { priorityBodySchema } from '../../shared/orders/team';
import { adminUserBodySchema, adminUsersQuerySchema } from '../../shared/orders/users';
import { idParams as adminIdParams, requisitesQuery } from '../order-admin';
import { requisiteIdParams } from '../order-requisites';
import { idParams as orderIdParams } from '../order-staff';
import { supportOrdersQuery } from '../order-support';
import { idParams as traderIdParams } from '../order-teamlead';
import { filePart, page, view } from './common';

const order = view({ id: z.string(), status: z.string() }, 'StaffOrder');
const requisite = view({ id: z.string(), status: z.string() }, 'Requisite');
const trader = view({ id: z.string() }, 'StaffUser');
const platformOnly = { 403: ['platform-tenant-required'] };

const staff = (fn: string, method: HttpMethod, path: string, summary: string, tag: string, rest: Partial<RouteDoc>) =>
  documentRoute({ function: fn, method, path, summary, tags: [tag], auth: ['bearer'], responses: {}, ...rest });

staff(FUNCTIONS.listTraderOrders, 'GET', '/api/v1/trader/orders', 'Own orders (trader)', 'Traders', {
  query: pageQuerySchema, responses: { 200: { description: 'A page of orders', schema: page(order, 'StaffOrderPage') } },
});
staff(FUNCTIONS.traderConfirmOrder, 'POST', '/api/v1/trader/orders/{id}/confirm', 'Pay-in: money arrived; pay-out: sent (receipt required)', 'Traders', {
  params: orderIdParams, body: { contentType: 'multipart/form-data', required: false, schema: reasonBodySchema.extend({ receipt: filePart('JPEG, PNG or PDF, <= 10 MB').optional() }) },
  responses: { 200: { description: 'The order', schema: order } }, problems: { 400: ['receipt-required'], 404: ['not-found'], 409: ['illegal-transition'] },
});
staff(FUNCTIONS.traderCancelOrder, 'POST', '/api/v1/trader/orders/{id}/cancel', 'Decline an assigned order', 'Traders', {
  params: orderIdParams, body: { schema: reasonBodySchema, required: false }, responses: { 200: { description: 'The order', schema: order } },
  problems: { 404: ['not-found'], 409: ['illegal-transition'] },
});
staff(FUNCTIONS.disputeOrder, 'POST', '/api/v1/support/orders/{id}/dispute', 'Open a dispute (support, admin)', 'Support', {
  params: orderIdParams, body: { schema: reasonBodySchema, required: false }, responses: { 200: { description: 'The order', schema: order } },
  problems: { 404: ['not-found'], 409: ['illegal-transition'] },
});
staff(FUNCTIONS.resolveOrder, 'POST', '/api/v1/support/orders/{id}/resolve', 'Resolve a dispute (support, admin)', 'Support', {
  params: orderIdParams, body: { schema: resolveBodySchema }, responses: { 200: { description: 'The order', schema: order } },
  problems: { 404: ['not-found'], 409: ['illegal-transition'] },
});
staff(FUNCTIONS.reviewOrder, 'POST', '/api/v1/support/orders/{id}/review', 'Approve or reject an order held for fraud review (platform support, admin)', 'Support', {
  params: orderIdParams, body: { schema: reviewBodySchema, example: { decision: 'approve', reason: 'Known customer, amount usual' } },
  responses: { 200: { description: 'The order', schema: order } },
  problems: { 403: ['platform-staff-required'], 404: ['not-found'], 409: ['illegal-transition'] },
});
staff(FUNCTIONS.listSupportOrders, 'GET', '/api/v1/support/orders', 'Orders, newest first (support, admin)', 'Support', {
  query: supportOrdersQuery, responses: { 200: { description: 'A page of orders', schema: page(order, 'SupportOrderPage') } },
});
staff(FUNCTIONS.listOwnRequisites, 'GET', '/api/v1/trader/requisites', 'Own requisites (trader)', 'Traders', {
  query: pageQuerySchema, responses: { 200: { description: 'A page of requisites', schema: page(requisite, 'RequisitePage') } },
});
staff(FUNCTIONS.createOwnRequisite, 'POST', '/api/v1/trader/requisites', 'Add a requisite (trader)', 'Traders', {
  body: { schema: createRequisiteBodySchema }, headers: { 'Idempotency-Key': 'Optional; a replay answers 200 with the same requisite' },
  responses: { 200: { description: 'Replayed', schema: requisite }, 201: { description: 'Created', schema: requisite } },
});
staff(FUNCTIONS.updateOwnRequisite, 'PATCH', '/api/v1/trader/requisites/{id}', 'Change or pause a requisite (trader)', 'Traders', {
  params: requisiteIdParams, body: { schema: traderRequisitePatchSchema }, responses: { 200: { description: 'The requisite', schema: requisite } },
  problems: { 404: ['not-found'], 409: ['requisite-blocked'] },
});
staff(FUNCTIONS.listTeamTraders, 'GET', '/api/v1/teamlead/traders', "The team's traders (team lead)", 'Team leads', {
  responses: { 200: { description: 'Traders', schema: page(trader, 'TraderList') } }, problems: { 403: ['teamlead-inactive'] },
});
staff(FUNCTIONS.setTraderPriority, 'PUT', '/api/v1/teamlead/traders/{id}/priority', "Set a trader's traffic priority (team lead)", 'Team leads', {
  params: traderIdParams, body: { schema: priorityBodySchema }, responses: { 200: { description: 'The trader', schema: trader } }, problems: { 404: ['not-found'] },
});
staff(FUNCTIONS.teamTraderStats, 'GET', '/api/v1/teamlead/traders/{id}/stats', "A trader's order statistics (team lead)", 'Team leads', {
  params: traderIdParams, responses: { 200: { description: 'Counts and volumes', schema: view({ ordersByStatus: z.record(z.string(), z.number()) }, 'TraderStats') } },
  problems: { 404: ['not-found'] },
});
staff(FUNCTIONS.adminListUsers, 'GET', '/api/v1/admin/users', 'Traders and team leads (platform admin)', 'Platform admin', {
  query: pageQuerySchema.extend(adminUsersQuerySchema.shape), responses: { 200: { description: 'A page of users', schema: page(trader, 'UserPage') } }, problems: platformOnly,
});
staff(FUNCTIONS.adminPutUser, 'PUT', '/api/v1/admin/users/{id}', 'Create or change a trader or team lead (platform admin)', 'Platform admin', {
  params: adminIdParams, body: { schema: adminUserBodySchema },
  responses: { 200: { description: 'Updated', schema: trader }, 201: { description: 'Created', schema: trader } },
  problems: { ...platformOnly, 404: ['not-found'], 409: ['user-role-mismatch'] },
});
staff(FUNCTIONS.adminListRequisites, 'GET', '/api/v1/admin/requisites', 'Requisites, masked (platform admin)', 'Platform admin', {
  query: requisitesQuery, responses: { 200: { description: 'A page of requisites', schema: page(requisite, 'AdminRequisitePage') } }, problems: platformOnly,
});
staff(FUNCTIONS.adminPutRequisite, 'PUT', '/api/v1/admin/requisites/{id}', 'Block, pause or change a requisite (platform admin)', 'Platform admin', {
  params: adminIdParams, body: { schema: adminRequisitePutSchema }, responses: { 200: { description: 'The requisite', schema: requisite } },
  problems: { ...platformOnly, 404: ['not-found'] },
});
