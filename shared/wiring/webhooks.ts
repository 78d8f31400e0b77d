/** Webhook delivery as the `webhooks` queue handler, the producers and the management API use it. */
import { config } from '../config';
import { COSMOS_CONTAINERS } from '../names';
import { systemClock } from '../platform/clock';
import { cosmosContainer } from '../platform/cosmos';
import type { Logger } from '../platform/logger';
import { serviceBus } from '../platform/service-bus';
import {
  CosmosDeliveryLog,
  enqueueWebhook,
  tenantWebhookTargets,
  WebhookEndpointStore,
  type DeliveryDeps,
  type WebhookEvent,
} from '../webhooks';
import { tenantStore } from './auth';

export async function webhookEndpointStore(): Promise<WebhookEndpointStore> {
  return new WebhookEndpointStore({ container: await cosmosContainer(COSMOS_CONTAINERS.webhooks), clock: systemClock, mode: config().VOUCH_MODE });
}

export async function webhookDeliveryLog(): Promise<CosmosDeliveryLog> {
  return new CosmosDeliveryLog(await cosmosContainer(COSMOS_CONTAINERS.webhooks));
}

export async function webhookDeliveryDeps(logger: Logger): Promise<DeliveryDeps> {
  return {
    targets: tenantWebhookTargets(await tenantStore(), await webhookEndpointStore()),
    log: await webhookDeliveryLog(),
    sender: serviceBus(),
    clock: systemClock,
    logger,
    mode: config().VOUCH_MODE,
  };
}

/** Queues a signed webhook for `event`, to `callbackUrl` when given, else the tenant's subscribed endpoints. */
export async function sendWebhook(input: { tenantId: string; event: WebhookEvent; callbackUrl?: string | undefined }): Promise<void> {
  await enqueueWebhook(serviceBus(), input.tenantId, input.event, input.callbackUrl);
}
