/** Signed webhooks shared by KYC and orders. */
export { buildWebhook, type WebhookEvent, type WebhookEventInput, webhookEventSchema } from './event';
export {
  signWebhook,
  verifyWebhookSignature,
  generateWebhookSecret,
  WEBHOOK_ID_HEADER,
  WEBHOOK_TIMESTAMP_HEADER,
  WEBHOOK_SIGNATURE_HEADER,
  LEGACY_SIGNATURE_HEADER,
  DEFAULT_TOLERANCE_S,
  type SignatureCheck,
} from './signature';
export {
  deliverWebhook,
  enqueueWebhook,
  deliveryIdFor,
  webhookDeliverySchema,
  WebhookDeliveryExhaustedError,
  WEBHOOK_BACKOFF_S,
  type WebhookDelivery,
  type WebhookTargets,
  type DeliveryDeps,
  type DeliveryOutcome,
} from './delivery';
export { CosmosDeliveryLog, type DeliveryLog, type DeliveryLogEntry, type AttemptRecord } from './delivery-log';
export { tenantWebhookTargets, TENANT_DEFAULT_ENDPOINT } from './tenant-endpoints';
export { WebhookEndpointStore } from './endpoint-store';
export { resendDelivery } from './resend';
export { checkWebhookTarget, type VouchMode } from './target-url';
export { isPublicAddress } from './public-address';
