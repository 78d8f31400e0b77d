/** Webhook delivery as the `webhooks` queue handler and the producers use it. */
import { config } from '../config';
import { COSMOS_CONTAINERS } from '../names';
import { systemClock } from '../platform/clock';
import { cosmosContainer } from '../platform/cosmos';
import type { Logger } from '../platform/logger';
import { serviceBus } from '../platform/service-bus';
import { CosmosDeliveryLog, enqueueWebhook, tenantWebhookEndpoints, type DeliveryDeps, type WebhookEvent } from '../webhooks';
import { tenantStore } from './auth';

export async function webhookDeliveryDeps(logger: Logger): Promise<DeliveryDeps> {
  return {
    endpoints: tenantWebhookEndpoints(await tenantStore()),
    log: new CosmosDeliveryLog(await cosmosContainer(COSMOS_CONTAINERS.webhooks)),
    sender: serviceBus(),
    clock: systemClock,
    logger,
    mode: config().VOUCH_MODE,
  };
}

/** Queues a signed webhook for `event`, to `callbackUrl` when given, else the tenant's endpoint. */
export async function sendWebhook(input: { tenantId: string; event: WebhookEvent; callbackUrl?: string | undefined }): Promise<void> {
  await enqueueWebhook(serviceBus(), input.tenantId, input.event, input.callbackUrl);
}
