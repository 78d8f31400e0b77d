/**
 * The order engine as functions use it: one store and reference-data cache per
 * process, settings re-read (cached by the settings store) on every call so an
 * operator's change applies without a restart.
 */
import { config } from '../config';
import { keyRingFromSettings, type KeyRing } from '../crypto/key-ring';
import { createAzureBlobStore, type BlobStore } from '../kyc/blob-store';
import { BLOB_CONTAINERS, QUEUES } from '../names';
import { createOrderEngine, type OrderEngine } from '../orders/engine';
import type { OrderDoc } from '../orders/documents';
import { ORDER_EVENTS, orderStatusWebhook, snapshotOf } from '../orders/order-events';
import type { OrderRef } from '../orders/orchestration-input';
import { createReferenceData, type ReferenceData } from '../orders/reference-data';
import type { OrderSettings } from '../orders/settings';
import { ensureOrderContainers, ordersStore } from '../orders/store';
import { systemClock } from '../platform/clock';
import { blobContainer } from '../platform/blob';
import { cosmosDatabase } from '../platform/cosmos';
import type { Logger } from '../platform/logger';
import { recordAudit } from './audit';
import { serviceBus } from '../platform/service-bus';
import { lazy } from './lazy';
import { SETTINGS, settingsStore } from './settings';
import { sendWebhook } from './webhooks';

const store = lazy(async () => {
  const db = await cosmosDatabase();
  // Locally the containers are created here; on Azure bicep created them.
  return config().VOUCH_MODE === 'local' ? ensureOrderContainers(db) : ordersStore(db);
});

let reference: ReferenceData | undefined;

/** The payment-data key ring from the settings (fails naming PAYMENT_DATA_KEY if it is missing). */
let keys: KeyRing | undefined;
export const paymentDataKeys = (): KeyRing => (keys ??= keyRingFromSettings(config().PAYMENT_DATA_KEY, config().PAYMENT_DATA_KEY_PREVIOUS));

/** The `receipts` blob container (payment receipts under `{tenantId}/{orderId}/`). */
export const receiptBlobs = lazy(async (): Promise<BlobStore> => createAzureBlobStore(await blobContainer(BLOB_CONTAINERS.receipts)));

export const orderSettings = async (): Promise<OrderSettings> => (await settingsStore()).get(SETTINGS.orders);

export async function orderEngine(logger?: Logger): Promise<OrderEngine> {
  const [s, settings] = await Promise.all([store(), orderSettings()]);
  reference ??= createReferenceData(s, systemClock, settings.REFERENCE_CACHE_SECONDS);
  return createOrderEngine({ store: s, clock: systemClock, settings, reference, keys: paymentDataKeys(), audit: (event) => recordAudit(event, logger), ...(logger ? { logger } : {}) });
}

/** Puts an order on the `orders` queue; `messageId` de-duplicates (the first enqueue uses the order id). */
export async function enqueueOrder(ref: OrderRef, messageId = `order:${ref.orderId}`): Promise<void> {
  await serviceBus().send(QUEUES.orders, { messageId, body: ref, correlationId: ref.orderId, subject: 'order' });
}

/** The durable client's one method the HTTP functions use (kept narrow so shared/ needs no durable types). */
export interface OrderEventRaiser {
  raiseEvent(instanceId: string, eventName: string, eventData: unknown): Promise<void>;
}

/**
 * After a person changed an order: tell the merchant (webhook) and the order's
 * orchestration (external event). An orchestration that finished or never
 * started is not an error: the status is already written.
 */
export async function announceOrderStatus(order: OrderDoc, raiser: OrderEventRaiser, logger?: Logger): Promise<void> {
  await sendWebhook({ tenantId: order.tenantId, event: orderStatusWebhook(order), callbackUrl: order.callbackUrl });
  try {
    await raiser.raiseEvent(order.id, ORDER_EVENTS.statusChanged, snapshotOf(order));
  } catch (error) {
    logger?.info('Order orchestration not running; event not raised', { orderId: order.id, error: String(error) });
  }
}

/** Local mode: the demo merchants, traders, requisites and deposits (idempotent). */
export async function seedLocalOrders(): Promise<number> {
  if (config().VOUCH_MODE !== 'local') return 0;
  const { seedOrders } = require('../../scripts/seed-data') as typeof import('../../scripts/seed-data');
  return (await seedOrders(await cosmosDatabase(), undefined, paymentDataKeys())).created;
}
