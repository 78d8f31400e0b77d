import { app } from '@azure/functions';
import { apiRoute } from '../shared/http/api-route';
import { z } from 'zod';
import { accepted, created, httpHandler, noContent, ok } from '../shared/http';
import { FUNCTIONS } from '../shared/names';
import { systemClock } from '../shared/platform/clock';
import { serviceBus } from '../shared/platform/service-bus';
import { authenticate } from '../shared/wiring/auth';
import { webhookDeliveryLog, webhookEndpointStore } from '../shared/wiring/webhooks';
import { resendDelivery } from '../shared/webhooks';
import { webhookTenantOf } from '../shared/webhooks/endpoint-access';
import {
  createEndpointBodySchema,
  endpointView,
  endpointViewSchema,
  rotateSecretBodySchema,
  tenantQuerySchema,
  updateEndpointBodySchema,
} from '../shared/webhooks/endpoint';
import {
  deliveryDetail,
  deliveryDetailSchema,
  deliveryListQuerySchema,
  deliveryListSchema,
  deliverySummary,
  deliverySummarySchema,
} from '../shared/webhooks/delivery-view';
import { documentRoute } from '../shared/openapi/route-doc';
import { notFound } from '../shared/errors';

// Tenant admins manage their own webhooks; platform admins any tenant's (`?tenantId=`). Users only (JWT).
const admins = { auth: authenticate, accept: ['user' as const] };
export const webhookIdParams = z.object({ id: z.string().min(1).max(64) });
const endpointsRoute = 'v1/webhooks/endpoints';

app.http(FUNCTIONS.listWebhookEndpoints, {
  route: apiRoute(endpointsRoute),
  methods: ['GET'],
  authLevel: 'anonymous',
  handler: httpHandler(admins, async (call) => {
    const tenantId = webhookTenantOf(call.principal, call.query(tenantQuerySchema).tenantId);
    const items = await (await webhookEndpointStore()).list(tenantId);
    return ok({ items: items.map((e) => endpointView(e)) });
  }),
});

app.http(FUNCTIONS.createWebhookEndpoint, {
  route: apiRoute(endpointsRoute),
  methods: ['POST'],
  authLevel: 'anonymous',
  handler: httpHandler(admins, async (call) => {
    const tenantId = webhookTenantOf(call.principal, call.query(tenantQuerySchema).tenantId);
    const doc = await (await webhookEndpointStore()).create(tenantId, await call.body(createEndpointBodySchema));
    // The only time the secret is shown (and after each rotation).
    return created(`/api/${endpointsRoute}/${doc.endpointId}`, endpointView(doc, true));
  }),
});

app.http(FUNCTIONS.getWebhookEndpoint, {
  route: apiRoute(`${endpointsRoute}/{id}`),
  methods: ['GET'],
  authLevel: 'anonymous',
  handler: httpHandler(admins, async (call) => {
    const tenantId = webhookTenantOf(call.principal, call.query(tenantQuerySchema).tenantId);
    const doc = await (await webhookEndpointStore()).get(tenantId, call.params(webhookIdParams).id);
    if (!doc) throw notFound('Webhook endpoint');
    return ok(endpointView(doc));
  }),
});

app.http(FUNCTIONS.updateWebhookEndpoint, {
  route: apiRoute(`${endpointsRoute}/{id}`),
  methods: ['PATCH'],
  authLevel: 'anonymous',
  handler: httpHandler(admins, async (call) => {
    const tenantId = webhookTenantOf(call.principal, call.query(tenantQuerySchema).tenantId);
    const { id } = call.params(webhookIdParams);
    const doc = await (await webhookEndpointStore()).update(tenantId, id, await call.body(updateEndpointBodySchema));
    return ok(endpointView(doc));
  }),
});

app.http(FUNCTIONS.deleteWebhookEndpoint, {
  route: apiRoute(`${endpointsRoute}/{id}`),
  methods: ['DELETE'],
  authLevel: 'anonymous',
  handler: httpHandler(admins, async (call) => {
    const tenantId = webhookTenantOf(call.principal, call.query(tenantQuerySchema).tenantId);
    await (await webhookEndpointStore()).delete(tenantId, call.params(webhookIdParams).id);
    return noContent();
  }),
});

app.http(FUNCTIONS.rotateWebhookSecret, {
  route: apiRoute(`${endpointsRoute}/{id}/rotate-secret`),
  methods: ['POST'],
  authLevel: 'anonymous',
  handler: httpHandler(admins, async (call) => {
    const tenantId = webhookTenantOf(call.principal, call.query(tenantQuerySchema).tenantId);
    // The body is optional: no body means the default overlap.
    const raw = (await call.bytes()).length === 0 ? rotateSecretBodySchema.parse({}) : await call.body(rotateSecretBodySchema);
    const doc = await (await webhookEndpointStore()).rotateSecret(tenantId, call.params(webhookIdParams).id, raw.overlapMinutes);
    return ok(endpointView(doc, true));
  }),
});

app.http(FUNCTIONS.listWebhookDeliveries, {
  route: apiRoute('v1/webhooks/deliveries'),
  methods: ['GET'],
  authLevel: 'anonymous',
  handler: httpHandler(admins, async (call) => {
    const { tenantId: requested, limit, continuation, ...filter } = call.query(deliveryListQuerySchema);
    const tenantId = webhookTenantOf(call.principal, requested);
    const page = await (await webhookDeliveryLog()).list(tenantId, filter, { limit, continuation });
    return ok({ items: page.items.map(deliverySummary), ...(page.continuation ? { continuation: page.continuation } : {}) });
  }),
});

app.http(FUNCTIONS.getWebhookDelivery, {
  route: apiRoute('v1/webhooks/deliveries/{id}'),
  methods: ['GET'],
  authLevel: 'anonymous',
  handler: httpHandler(admins, async (call) => {
    const tenantId = webhookTenantOf(call.principal, call.query(tenantQuerySchema).tenantId);
    const entry = await (await webhookDeliveryLog()).get(tenantId, call.params(webhookIdParams).id);
    if (!entry || entry.kind !== 'delivery') throw notFound('Webhook delivery');
    return ok(deliveryDetail(entry));
  }),
});

app.http(FUNCTIONS.resendWebhookDelivery, {
  route: apiRoute('v1/webhooks/deliveries/{id}/resend'),
  methods: ['POST'],
  authLevel: 'anonymous',
  handler: httpHandler(admins, async (call) => {
    const tenantId = webhookTenantOf(call.principal, call.query(tenantQuerySchema).tenantId);
    const log = await webhookDeliveryLog();
    const { id } = call.params(webhookIdParams);
    const existing = await log.get(tenantId, id);
    if (!existing || existing.kind !== 'delivery') throw notFound('Webhook delivery');
    const entry = await resendDelivery({ log, sender: serviceBus(), clock: systemClock }, tenantId, id);
    return accepted(deliverySummary(entry), `/api/v1/webhooks/deliveries/${id}`);
  }),
});

// OpenAPI: the same schemas the handlers above validate with.
const tags = ['Webhooks'];
const adminDoc = { tags, auth: ['bearer' as const], query: tenantQuerySchema };
const endpointNotFound = { 404: ['not-found'] };
documentRoute({
  ...adminDoc, function: FUNCTIONS.listWebhookEndpoints, method: 'GET', path: `/api/${endpointsRoute}`,
  summary: "The tenant's webhook endpoints (tenant admin; platform admins pass ?tenantId=)",
  responses: { 200: { description: 'Endpoints, without secrets', schema: z.object({ items: z.array(endpointViewSchema) }).meta({ id: 'WebhookEndpointList' }) } },
});
documentRoute({
  ...adminDoc, function: FUNCTIONS.createWebhookEndpoint, method: 'POST', path: `/api/${endpointsRoute}`,
  summary: 'Register an endpoint; the answer shows its whsec_ secret once',
  body: { schema: createEndpointBodySchema, example: { url: 'https://hooks.example.com/vouch', eventTypes: ['verification.completed'] } },
  responses: { 201: { description: 'Created, with `secret`', schema: endpointViewSchema } },
  problems: { 400: ['webhook-url-rejected'], 409: ['webhook-endpoint-limit'] },
});
documentRoute({
  ...adminDoc, function: FUNCTIONS.getWebhookEndpoint, method: 'GET', path: `/api/${endpointsRoute}/{id}`, params: webhookIdParams,
  summary: 'One endpoint', responses: { 200: { description: 'The endpoint', schema: endpointViewSchema } }, problems: endpointNotFound,
});
documentRoute({
  ...adminDoc, function: FUNCTIONS.updateWebhookEndpoint, method: 'PATCH', path: `/api/${endpointsRoute}/{id}`, params: webhookIdParams,
  summary: 'Change URL, event filter, description or enabled', body: { schema: updateEndpointBodySchema },
  responses: { 200: { description: 'The endpoint', schema: endpointViewSchema } }, problems: { ...endpointNotFound, 400: ['webhook-url-rejected'], 503: ['concurrency-conflict'] },
});
documentRoute({
  ...adminDoc, function: FUNCTIONS.deleteWebhookEndpoint, method: 'DELETE', path: `/api/${endpointsRoute}/{id}`, params: webhookIdParams,
  summary: 'Remove an endpoint; queued deliveries to it are dropped', responses: { 204: { description: 'Deleted' } }, problems: endpointNotFound,
});
documentRoute({
  ...adminDoc, function: FUNCTIONS.rotateWebhookSecret, method: 'POST', path: `/api/${endpointsRoute}/{id}/rotate-secret`, params: webhookIdParams,
  summary: 'New secret; the previous one keeps signing for overlapMinutes (two v1 signatures meanwhile)',
  body: { schema: rotateSecretBodySchema, required: false, example: { overlapMinutes: 1440 } },
  responses: { 200: { description: 'The endpoint, with the new `secret`', schema: endpointViewSchema } }, problems: { ...endpointNotFound, 503: ['concurrency-conflict'] },
});
documentRoute({
  ...adminDoc, function: FUNCTIONS.listWebhookDeliveries, method: 'GET', path: '/api/v1/webhooks/deliveries', query: deliveryListQuerySchema,
  summary: 'Deliveries, newest first: event, endpoint, attempts, last status code, next retry; `status=exhausted` lists dead letters',
  responses: { 200: { description: 'A page of deliveries', schema: deliveryListSchema } },
});
documentRoute({
  ...adminDoc, function: FUNCTIONS.getWebhookDelivery, method: 'GET', path: '/api/v1/webhooks/deliveries/{id}', params: webhookIdParams,
  summary: 'One delivery with each attempt and its event', responses: { 200: { description: 'The delivery', schema: deliveryDetailSchema } }, problems: { 404: ['not-found'] },
});
documentRoute({
  ...adminDoc, function: FUNCTIONS.resendWebhookDelivery, method: 'POST', path: '/api/v1/webhooks/deliveries/{id}/resend', params: webhookIdParams,
  summary: 'Send a delivery again (also a dead-lettered one): a new round of attempts',
  responses: { 202: { description: 'Queued; the delivery is pending again', schema: deliverySummarySchema } }, problems: { 404: ['not-found'] },
});
