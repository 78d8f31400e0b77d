import { notFound } from '../errors';
import { QUEUES } from '../names';
import type { Clock } from '../platform/clock';
import type { MessageSender } from '../platform/messaging';
import { deliveryMessage } from './delivery';
import type { DeliveryLog, DeliveryLogEntry } from './delivery-log';

/**
 * Sends a logged delivery again (delivered, pending or dead-lettered): it becomes
 * `pending` and a new round of attempts starts after the last logged attempt number,
 * with the full backoff, to the same endpoint (its current URL and secrets) or callback URL.
 */
export async function resendDelivery(
  deps: { log: DeliveryLog; sender: MessageSender; clock: Clock },
  tenantId: string,
  deliveryId: string,
): Promise<DeliveryLogEntry> {
  const entry = await deps.log.reopen(tenantId, deliveryId, deps.clock.now());
  if (!entry) throw notFound('Webhook delivery');
  const attempt = Math.max(0, ...entry.attempts.map((a) => a.attempt)) + 1;
  const target = entry.endpointId !== undefined ? { endpointId: entry.endpointId } : { url: entry.callbackUrl };
  await deps.sender.send(QUEUES.webhooks, deliveryMessage({ tenantId, attempt, firstAttempt: attempt, event: entry.event, ...target }));
  return entry;
}
