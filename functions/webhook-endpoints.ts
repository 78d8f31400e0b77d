import { app } from '@azure/functions';
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
  rotateSecretBodySchema,
  tenantQuerySchema,
  updateEndpointBodySchema,
} from '../shared/webhooks/endpoint';
import { deliveryDetail, deliveryListQuerySchema, deliverySummary } from '../shared/webhooks/delivery-view';
import { notFound } from '../shared/errors';

// Tenant admins manage their own webhooks; platform admins any tenant's (`?tenantId=`). Users only (JWT).
const admins = { auth: authenticate, accept: ['user' as const] };
export const webhookIdParams = z.object({ id: z.string().min(1).max(64) });
const endpointsRoute = 'v1/webhooks/endpoints';

app.http(FUNCTIONS.listWebhookEndpoints, {
  route: endpointsRoute,
  methods: ['GET'],
  authLevel: 'anonymous',
  handler: httpHandler(admins, async (call) => {
    const tenantId = webhookTenantOf(call.principal, call.query(tenantQuerySchema).tenantId);
    const items = await (await webhookEndpointStore()).list(tenantId);
    return ok({ items: items.map((e) => endpointView(e)) });
  }),
});

app.http(FUNCTIONS.createWebhookEndpoint, {
  route: endpointsRoute,
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
  route: `${endpointsRoute}/{id}`,
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
  route: `${endpointsRoute}/{id}`,
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
  route: `${endpointsRoute}/{id}`,
  methods: ['DELETE'],
  authLevel: 'anonymous',
  handler: httpHandler(admins, async (call) => {
    const tenantId = webhookTenantOf(call.principal, call.query(tenantQuerySchema).tenantId);
    await (await webhookEndpointStore()).delete(tenantId, call.params(webhookIdParams).id);
    return noContent();
  }),
});

app.http(FUNCTIONS.rotateWebhookSecret, {
  route: `${endpointsRoute}/{id}/rotate-secret`,
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
  route: 'v1/webhooks/deliveries',
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
  route: 'v1/webhooks/deliveries/{id}',
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
  route: 'v1/webhooks/deliveries/{id}/resend',
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
