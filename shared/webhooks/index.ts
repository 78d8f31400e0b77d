/** Signed webhooks shared by KYC and orders. */
export { buildWebhook, type WebhookEvent, type WebhookEventInput, webhookEventSchema } from './event';
export { signWebhook, verifyWebhookSignature, SIGNATURE_HEADER, DEFAULT_TOLERANCE_S, type SignatureCheck } from './signature';
export {
  deliverWebhook,
  enqueueWebhook,
  webhookDeliverySchema,
  WebhookDeliveryExhaustedError,
  WEBHOOK_BACKOFF_S,
  type WebhookDelivery,
  type WebhookEndpoints,
  type DeliveryDeps,
  type DeliveryOutcome,
} from './delivery';
export { CosmosDeliveryLog, type DeliveryLog, type DeliveryLogEntry, type AttemptRecord } from './delivery-log';
export { tenantWebhookEndpoints } from './tenant-endpoints';
export { rejectTargetUrl } from './target-url';
