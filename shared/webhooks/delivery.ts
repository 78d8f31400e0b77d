import { z } from 'zod';
import { DomainError } from '../errors';
import { QUEUES } from '../names';
import type { Clock } from '../platform/clock';
import type { Logger } from '../platform/logger';
import type { MessageSender } from '../platform/messaging';
import type { AttemptRecord, DeliveryLog } from './delivery-log';
import { type WebhookEvent, webhookEventSchema } from './event';
import { postWebhook } from './post';
import { SIGNATURE_HEADER, signWebhook } from './signature';
import { rejectTargetUrl, type VouchMode } from './target-url';
import { recordWebhookDelivery } from '../platform/metrics';

/** Delay before retry n (seconds): attempt 1 is immediate, then 10 s, 1 min, 5 min, 30 min, 2 h, 6 h. */
export const WEBHOOK_BACKOFF_S = [10, 60, 300, 1800, 7200, 21600] as const;

/** Body of a message on the `webhooks` queue. */
export const webhookDeliverySchema = z.object({
  tenantId: z.string().min(1),
  /** 1-based. */
  attempt: z.number().int().min(1),
  event: webhookEventSchema,
  /** Per-event target (a verification's or order's `callbackUrl`); the tenant's endpoint URL when absent. */
  url: z.url().optional(),
});
export type WebhookDelivery = z.infer<typeof webhookDeliverySchema>;

/** Where a tenant's webhooks go (unless an event names its own URL) and the secret that signs them. */
export interface WebhookEndpoints {
  endpointFor(tenantId: string): Promise<{ url?: string | undefined; secret: string } | undefined>;
}

export interface DeliveryDeps {
  endpoints: WebhookEndpoints;
  log: DeliveryLog;
  sender: MessageSender;
  clock: Clock;
  logger: Logger;
  mode: VouchMode;
  /** Per-attempt deadline in ms; default 10 000. */
  timeoutMs?: number;
  /** Retry delays in seconds; its length + 1 is the number of attempts. Default `WEBHOOK_BACKOFF_S`. */
  backoffS?: readonly number[];
}

export type DeliveryOutcome =
  | { outcome: 'delivered'; statusCode: number }
  | { outcome: 'already-delivered' }
  | { outcome: 'no-endpoint' }
  | { outcome: 'retry-scheduled'; nextAttempt: number; notBefore: Date };

/** Thrown after the last attempt (or for an unusable URL) so Service Bus dead-letters the message. */
export class WebhookDeliveryExhaustedError extends DomainError {
  constructor(eventId: string, attempts: number) {
    super('webhook-delivery-exhausted', `Webhook ${eventId} failed after ${attempts} attempts`, 502, { eventId }, false);
  }
}

const messageFor = (delivery: WebhookDelivery, notBefore?: Date) => ({
  // Deterministic: a re-sent schedule for the same attempt is dropped by duplicate detection.
  messageId: `${delivery.event.id}:${delivery.attempt}`,
  body: delivery,
  subject: delivery.event.type,
  correlationId: delivery.event.id,
  ...(notBefore ? { scheduledEnqueueTimeUtc: notBefore } : {}),
});

/** Queues the first attempt of `event` for `tenantId`, to `url` or else the tenant's endpoint. */
export async function enqueueWebhook(sender: MessageSender, tenantId: string, event: WebhookEvent, url?: string): Promise<void> {
  await sender.send(QUEUES.webhooks, messageFor({ tenantId, attempt: 1, event, ...(url ? { url } : {}) }));
}

/**
 * Handles one message from the `webhooks` queue: one signed POST; on failure
 * schedules the next attempt, after the last one throws. Idempotent by event id:
 * a delivered event is never posted again, and an attempt already logged is not
 * repeated (only its follow-up is re-scheduled).
 */
export async function deliverWebhook(input: unknown, deps: DeliveryDeps): Promise<DeliveryOutcome> {
  const delivery = webhookDeliverySchema.parse(input);
  const { event, tenantId, attempt } = delivery;
  const backoff = deps.backoffS ?? WEBHOOK_BACKOFF_S;
  const entry = await deps.log.get(tenantId, event.id);
  if (entry?.status === 'delivered') return { outcome: 'already-delivered' };
  if (entry?.status === 'exhausted') throw new WebhookDeliveryExhaustedError(event.id, entry.attempts.length);

  let record = entry?.attempts.find((a) => a.attempt === attempt);
  if (!record) {
    const configured = await deps.endpoints.endpointFor(tenantId);
    const url = delivery.url ?? configured?.url;
    const endpoint = configured && url ? { url, secret: configured.secret } : undefined;
    if (!endpoint) {
      deps.logger.warn('Webhook dropped: tenant has no endpoint', { tenantId, eventId: event.id });
      return { outcome: 'no-endpoint' };
    }
    record = await attemptOnce(delivery, endpoint, deps);
    const last = attempt > backoff.length || record.error === 'url-rejected';
    const status = record.statusCode !== undefined && isSuccess(record.statusCode) ? 'delivered' : last ? 'exhausted' : 'pending';
    await deps.log.record({ id: event.id, tenantId, eventType: event.type }, record, status);
    recordWebhookDelivery(status === 'delivered' ? 'delivered' : status === 'exhausted' ? 'dead_lettered' : 'retrying', event.type);
    if (status === 'exhausted') throw new WebhookDeliveryExhaustedError(event.id, attempt);
  }
  if (record.statusCode !== undefined && isSuccess(record.statusCode)) {
    return { outcome: 'delivered', statusCode: record.statusCode };
  }
  const delayS = backoff[attempt - 1];
  if (delayS === undefined) throw new WebhookDeliveryExhaustedError(event.id, attempt);
  const notBefore = new Date(deps.clock.now().getTime() + delayS * 1000);
  await deps.sender.send(QUEUES.webhooks, messageFor({ ...delivery, attempt: attempt + 1 }, notBefore));
  deps.logger.info('Webhook attempt failed; retry scheduled', {
    eventId: event.id,
    attempt,
    statusCode: record.statusCode,
    error: record.error,
    notBefore: notBefore.toISOString(),
  });
  return { outcome: 'retry-scheduled', nextAttempt: attempt + 1, notBefore };
}

const isSuccess = (status: number) => status >= 200 && status < 300;

async function attemptOnce(
  delivery: WebhookDelivery,
  endpoint: { url: string; secret: string },
  deps: DeliveryDeps,
): Promise<AttemptRecord> {
  const now = deps.clock.now();
  const at = now.toISOString();
  if (rejectTargetUrl(endpoint.url, deps.mode)) {
    return { attempt: delivery.attempt, at, durationMs: 0, error: 'url-rejected' };
  }
  const body = JSON.stringify(delivery.event);
  const headers = {
    [SIGNATURE_HEADER]: signWebhook(endpoint.secret, body, Math.floor(now.getTime() / 1000)),
    'Vouch-Event-Id': delivery.event.id,
    'Vouch-Delivery-Attempt': String(delivery.attempt),
  };
  const result = await postWebhook(endpoint.url, body, headers, deps.timeoutMs ?? 10_000);
  return {
    attempt: delivery.attempt,
    at,
    durationMs: result.durationMs,
    ...(result.statusCode !== undefined ? { statusCode: result.statusCode } : {}),
    ...(result.error ? { error: result.error } : {}),
  };
}
