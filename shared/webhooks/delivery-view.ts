import { z } from 'zod';
import type { DeliveryLogEntry } from './delivery-log';
import { webhookEventSchema } from './event';

const attemptSchema = z.object({
  attempt: z.number().int(),
  at: z.string(),
  durationMs: z.number(),
  statusCode: z.number().int().optional(),
  error: z.enum(['timeout', 'network', 'url-rejected']).optional(),
});

/** A delivery in the list: enough to spot failures and dead letters. */
export const deliverySummarySchema = z
  .object({
    id: z.string(),
    eventId: z.string(),
    eventType: z.string(),
    /** The registered endpoint, or absent for a request's own `callbackUrl`. */
    endpointId: z.string().optional(),
    target: z.enum(['endpoint', 'callback']),
    /** `exhausted`: every attempt failed and the message was dead-lettered; resend it after fixing the receiver. */
    status: z.enum(['pending', 'delivered', 'exhausted']),
    attempts: z.number().int(),
    lastStatusCode: z.number().int().optional(),
    nextAttemptAt: z.string().optional(),
    resends: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({
    id: 'WebhookDeliverySummary',
    example: {
      id: 'dlv_3f1d0c9e5a7b4c2d8e6f1a0b9c8d7e6f', eventId: 'ver-1:verification.completed:approved', eventType: 'verification.completed',
      endpointId: 'ep_5f0c1a2b3c4d5e6f', target: 'endpoint', status: 'exhausted', attempts: 7, lastStatusCode: 500, resends: 0,
      createdAt: '2026-03-01T12:00:00.000Z', updatedAt: '2026-03-01T20:31:00.000Z',
    },
  });

/** One delivery with each attempt and the event it carries. */
export const deliveryDetailSchema = deliverySummarySchema
  .extend({ attemptLog: z.array(attemptSchema), event: webhookEventSchema })
  .meta({ id: 'WebhookDelivery' });

export const deliveryListSchema = z
  .object({ items: z.array(deliverySummarySchema), continuation: z.string().optional() })
  .meta({ id: 'WebhookDeliveryList' });

export const deliveryListQuerySchema = z.strictObject({
  status: z.enum(['pending', 'delivered', 'exhausted']).optional(),
  eventType: z.string().max(100).optional(),
  endpointId: z.string().max(64).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  continuation: z.string().max(4096).optional(),
  tenantId: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/).optional().describe('Platform admins only: whose deliveries'),
});

export function deliverySummary(entry: DeliveryLogEntry): z.infer<typeof deliverySummarySchema> {
  return {
    id: entry.id,
    eventId: entry.eventId,
    eventType: entry.eventType,
    ...(entry.endpointId === undefined ? {} : { endpointId: entry.endpointId }),
    target: entry.endpointId === undefined ? 'callback' : 'endpoint',
    status: entry.status,
    attempts: entry.attempts.length,
    ...(entry.lastStatusCode === undefined ? {} : { lastStatusCode: entry.lastStatusCode }),
    ...(entry.nextAttemptAt === undefined ? {} : { nextAttemptAt: entry.nextAttemptAt }),
    resends: entry.resends,
    createdAt: entry.createdAt,
    updatedAt: entry.updatedAt,
  };
}

export const deliveryDetail = (entry: DeliveryLogEntry): z.infer<typeof deliveryDetailSchema> => ({
  ...deliverySummary(entry),
  attemptLog: entry.attempts,
  event: entry.event,
});
