import { createHash } from 'node:crypto';
import { z } from 'zod';
import { DomainError } from '../errors';
import { QUEUES } from '../names';
import type { Clock } from '../platform/clock';
import type { Logger } from '../platform/logger';
import type { MessageSender } from '../platform/messaging';
import type { AttemptRecord, DeliveryLog, DeliveryTarget } from './delivery-log';
import { type WebhookEvent, webhookEventSchema } from './event';
import { postWebhook } from './post';
import { LEGACY_SIGNATURE_HEADER, legacySignature, signWebhook } from './signature';
import { checkWebhookTarget, type ResolveHost, type VouchMode } from './target-url';
import { recordWebhookDelivery } from '../platform/metrics';

/** Delay before retry n (seconds): attempt 1 is immediate, then 10 s, 1 min, 5 min, 30 min, 2 h, 6 h. */
export const WEBHOOK_BACKOFF_S = [10, 60, 300, 1800, 7200, 21600] as const;

/**
 * Body of a message on the `webhooks` queue. With neither `url` nor `endpointId` it is
 * a fan-out: the handler queues one delivery per endpoint subscribed to the event.
 */
export const webhookDeliverySchema = z.object({
  tenantId: z.string().min(1),
  /** 1-based, counted over the delivery's whole life (resends continue the count). */
  attempt: z.number().int().min(1),
  /** The attempt a resend started at; the backoff counts from it. Default 1. */
  firstAttempt: z.number().int().min(1).optional(),
  event: webhookEventSchema,
  /** Per-event target (a verification's or order's `callbackUrl`). */
  url: z.url().optional(),
  /** A registered endpoint of the tenant. */
  endpointId: z.string().min(1).max(64).optional(),
});
export type WebhookDelivery = z.infer<typeof webhookDeliverySchema>;

/** Where a tenant's webhooks go and the secrets that sign them. */
export interface WebhookTargets {
  /** Ids of the tenant's enabled endpoints that take `eventType`. */
  subscribedEndpoints(tenantId: string, eventType: string): Promise<string[]>;
  /** URL and signing secrets (newest first) of an endpoint; undefined once deleted or disabled. */
  endpoint(tenantId: string, endpointId: string, now: Date): Promise<{ url: string; secrets: string[] } | undefined>;
  /** Secrets signing deliveries to a request's own `callbackUrl` (the tenant's webhook secret); empty: none. */
  callbackSecrets(tenantId: string): Promise<string[]>;
}

export interface DeliveryDeps {
  targets: WebhookTargets;
  log: DeliveryLog;
  sender: MessageSender;
  clock: Clock;
  logger: Logger;
  mode: VouchMode;
  /** DNS resolution for the SSRF check; the system resolver by default. */
  resolve?: ResolveHost;
  /** Per-attempt deadline in ms; default 10 000. */
  timeoutMs?: number;
  /** Retry delays in seconds; its length + 1 is the number of attempts per round. Default `WEBHOOK_BACKOFF_S`. */
  backoffS?: readonly number[];
}

export type DeliveryOutcome =
  | { outcome: 'delivered'; statusCode: number }
  | { outcome: 'already-delivered' }
  | { outcome: 'no-endpoint' }
  | { outcome: 'fanned-out'; deliveries: number }
  | { outcome: 'retry-scheduled'; nextAttempt: number; notBefore: Date };

/** Thrown after the last attempt (or for an unusable URL) so Service Bus dead-letters the message. */
export class WebhookDeliveryExhaustedError extends DomainError {
  constructor(deliveryId: string, attempts: number) {
    super('webhook-delivery-exhausted', `Webhook delivery ${deliveryId} failed after ${attempts} attempts`, 502, { deliveryId }, false);
  }
}

/** Deterministic per event and target (≤ 36 chars, so `<id>:<attempt>` fits a Service Bus message id). */
export function deliveryIdFor(eventId: string, target: DeliveryTarget): string {
  const key = target.endpointId !== undefined ? `endpoint:${target.endpointId}` : `callback:${target.callbackUrl}`;
  return `dlv_${createHash('sha256').update(`${eventId}\n${key}`).digest('hex').slice(0, 32)}`;
}

const targetOf = (d: WebhookDelivery): DeliveryTarget | undefined =>
  d.endpointId !== undefined ? { endpointId: d.endpointId } : d.url !== undefined ? { callbackUrl: d.url } : undefined;

/** The queue message for `delivery`; ids are deterministic, so a repeated send is dropped by duplicate detection. */
export function deliveryMessage(delivery: WebhookDelivery, notBefore?: Date) {
  const target = targetOf(delivery);
  return {
    messageId: target ? `${deliveryIdFor(delivery.event.id, target)}:${delivery.attempt}` : `${delivery.event.id}:fanout`,
    body: delivery,
    subject: delivery.event.type,
    correlationId: delivery.event.id,
    ...(notBefore ? { scheduledEnqueueTimeUtc: notBefore } : {}),
  };
}

/** Queues `event` for `tenantId`: to `url` when given, else to each subscribed endpoint. */
export async function enqueueWebhook(sender: MessageSender, tenantId: string, event: WebhookEvent, url?: string): Promise<void> {
  await sender.send(QUEUES.webhooks, deliveryMessage({ tenantId, attempt: 1, event, ...(url ? { url } : {}) }));
}

/**
 * Handles one message from the `webhooks` queue: a fan-out, or one signed POST that
 * on failure schedules the next attempt and after the last one throws. Idempotent
 * by delivery id: a delivered one is not posted again, and an attempt already logged
 * is not repeated (only its follow-up is re-scheduled).
 */
export async function deliverWebhook(input: unknown, deps: DeliveryDeps): Promise<DeliveryOutcome> {
  const delivery = webhookDeliverySchema.parse(input);
  const target = targetOf(delivery);
  if (!target) return fanOut(delivery, deps);
  const { event, tenantId, attempt } = delivery;
  const firstAttempt = delivery.firstAttempt ?? 1;
  const backoff = deps.backoffS ?? WEBHOOK_BACKOFF_S;
  const id = deliveryIdFor(event.id, target);
  const entry = await deps.log.get(tenantId, id);

  let record = entry?.attempts.find((a) => a.attempt === attempt);
  if (!record) {
    if (entry?.status === 'delivered') return { outcome: 'already-delivered' };
    if (entry?.status === 'exhausted') throw new WebhookDeliveryExhaustedError(id, entry.attempts.length);
    const now = deps.clock.now();
    const endpoint = target.endpointId !== undefined
      ? await deps.targets.endpoint(tenantId, target.endpointId, now)
      : { url: target.callbackUrl, secrets: await deps.targets.callbackSecrets(tenantId) };
    if (!endpoint || endpoint.secrets.length === 0) {
      deps.logger.warn('Webhook dropped: no endpoint or no signing secret', { tenantId, deliveryId: id });
      return { outcome: 'no-endpoint' };
    }
    record = await attemptOnce(delivery, endpoint, deps);
    const delayS = backoff[attempt - firstAttempt];
    const succeeded = record.statusCode !== undefined && isSuccess(record.statusCode);
    const status = succeeded ? 'delivered' : delayS === undefined || record.error === 'url-rejected' ? 'exhausted' : 'pending';
    const nextAt = status === 'pending' && delayS !== undefined ? new Date(now.getTime() + delayS * 1000) : undefined;
    await deps.log.record({ id, tenantId, eventId: event.id, eventType: event.type, event, ...target }, record, status, now, nextAt);
    recordWebhookDelivery(status === 'delivered' ? 'delivered' : status === 'exhausted' ? 'dead_lettered' : 'retrying', event.type);
    if (status === 'exhausted') throw new WebhookDeliveryExhaustedError(id, attempt);
  }
  if (record.statusCode !== undefined && isSuccess(record.statusCode)) {
    return { outcome: 'delivered', statusCode: record.statusCode };
  }
  const delayS = backoff[attempt - firstAttempt];
  if (delayS === undefined) throw new WebhookDeliveryExhaustedError(id, attempt);
  const notBefore = new Date(Date.parse(record.at) + delayS * 1000);
  await deps.sender.send(QUEUES.webhooks, deliveryMessage({ ...delivery, attempt: attempt + 1 }, notBefore));
  deps.logger.info('Webhook attempt failed; retry scheduled', {
    deliveryId: id,
    attempt,
    statusCode: record.statusCode,
    error: record.error,
    notBefore: notBefore.toISOString(),
  });
  return { outcome: 'retry-scheduled', nextAttempt: attempt + 1, notBefore };
}

/** One delivery message per subscribed endpoint (ids deterministic: running this twice sends nothing new). */
async function fanOut(delivery: WebhookDelivery, deps: DeliveryDeps): Promise<DeliveryOutcome> {
  const endpointIds = await deps.targets.subscribedEndpoints(delivery.tenantId, delivery.event.type);
  if (endpointIds.length === 0) {
    deps.logger.info('Webhook not sent: no endpoint takes this event type', { tenantId: delivery.tenantId, eventId: delivery.event.id });
    return { outcome: 'no-endpoint' };
  }
  for (const endpointId of endpointIds) {
    await deps.sender.send(QUEUES.webhooks, deliveryMessage({ tenantId: delivery.tenantId, attempt: 1, event: delivery.event, endpointId }));
  }
  return { outcome: 'fanned-out', deliveries: endpointIds.length };
}

const isSuccess = (status: number) => status >= 200 && status < 300;

async function attemptOnce(delivery: WebhookDelivery, endpoint: { url: string; secrets: string[] }, deps: DeliveryDeps): Promise<AttemptRecord> {
  const now = deps.clock.now();
  const at = now.toISOString();
  // The same check as at registration, again now: DNS may have changed since.
  const check = await checkWebhookTarget(endpoint.url, deps.mode, deps.resolve);
  if (!check.ok) return { attempt: delivery.attempt, at, durationMs: 0, error: 'url-rejected' };
  const body = JSON.stringify(delivery.event);
  const timestampS = Math.floor(now.getTime() / 1000);
  const headers = {
    ...signWebhook({ id: delivery.event.id, timestampS, body, secrets: endpoint.secrets }),
    [LEGACY_SIGNATURE_HEADER]: legacySignature(endpoint.secrets[0]!, body, timestampS),
    'Vouch-Event-Id': delivery.event.id,
    'Vouch-Delivery-Attempt': String(delivery.attempt),
  };
  const result = await postWebhook(check.target, body, headers, deps.timeoutMs ?? 10_000);
  return {
    attempt: delivery.attempt,
    at,
    durationMs: result.durationMs,
    ...(result.statusCode !== undefined ? { statusCode: result.statusCode } : {}),
    ...(result.error ? { error: result.error } : {}),
  };
}
