import { z } from 'zod';

/** Event types a tenant can subscribe an endpoint to. */
export const WEBHOOK_EVENT_TYPES = ['verification.completed', 'order.status_changed'] as const;
export const webhookEventTypeSchema = z.enum(WEBHOOK_EVENT_TYPES);

/** Longest a rotated-out secret keeps signing, so receivers have time to switch: 7 days, in minutes. */
export const MAX_ROTATION_OVERLAP_MIN = 7 * 24 * 60;

const endpointUrlSchema = z.url({ protocol: /^https?$/ }).max(2048);

/** One signing secret; during a rotation the old one carries `expiresAt`. */
export const endpointSecretSchema = z.object({
  secret: z.string().startsWith('whsec_'),
  createdAt: z.iso.datetime(),
  /** After this ISO time the secret no longer signs (absent: the current secret). */
  expiresAt: z.iso.datetime().optional(),
});

/** Document in the `webhooks` container (partition `/tenantId`, id `endpoint:<endpointId>`, no TTL). */
export const endpointDocumentSchema = z.object({
  id: z.string(),
  kind: z.literal('endpoint'),
  tenantId: z.string(),
  endpointId: z.string(),
  url: endpointUrlSchema,
  description: z.string().max(200).optional(),
  /** Empty: every event type. */
  eventTypes: z.array(webhookEventTypeSchema),
  enabled: z.boolean(),
  /** Newest first; at most two (the current one and, during a rotation, the previous one). */
  secrets: z.array(endpointSecretSchema).min(1).max(2),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  /** -1: never expires, though the container's default TTL ages delivery logs out. */
  ttl: z.literal(-1),
});
export type EndpointDocument = z.infer<typeof endpointDocumentSchema>;

/** `POST /v1/webhooks/endpoints` body. */
export const createEndpointBodySchema = z
  .strictObject({
    url: endpointUrlSchema.meta({ example: 'https://hooks.example.com/vouch' }),
    description: z.string().max(200).optional(),
    eventTypes: z.array(webhookEventTypeSchema).max(WEBHOOK_EVENT_TYPES.length).default([]).describe('Event types to receive; empty or absent: all'),
    enabled: z.boolean().default(true),
  })
  .meta({ id: 'CreateWebhookEndpoint' });

/** `PATCH /v1/webhooks/endpoints/{id}` body: any of the fields. */
export const updateEndpointBodySchema = z
  .strictObject({
    url: endpointUrlSchema.optional(),
    description: z.string().max(200).optional(),
    eventTypes: z.array(webhookEventTypeSchema).max(WEBHOOK_EVENT_TYPES.length).optional(),
    enabled: z.boolean().optional(),
  })
  .meta({ id: 'UpdateWebhookEndpoint', example: { eventTypes: ['verification.completed'] } });

/** `POST /v1/webhooks/endpoints/{id}/rotate-secret` body (optional). */
export const rotateSecretBodySchema = z
  .strictObject({
    overlapMinutes: z.number().int().min(0).max(MAX_ROTATION_OVERLAP_MIN).default(1440).describe('How long the previous secret keeps signing too (minutes); default 24 h'),
  })
  .meta({ id: 'RotateWebhookSecret' });

/** Tenant selection for platform admins (a tenant admin's own tenant otherwise). */
export const tenantQuerySchema = z.strictObject({ tenantId: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/).optional() });

/** What the API shows: never the secret values, except once in `secret` on create and rotate. */
export const endpointViewSchema = z
  .object({
    id: z.string(),
    tenantId: z.string(),
    url: z.string(),
    description: z.string().optional(),
    eventTypes: z.array(webhookEventTypeSchema),
    enabled: z.boolean(),
    secrets: z.array(z.object({ createdAt: z.string(), expiresAt: z.string().optional() })),
    createdAt: z.string(),
    updatedAt: z.string(),
    /** Only in the answer to create and rotate-secret: store it, it is not shown again. */
    secret: z.string().optional(),
  })
  .meta({
    id: 'WebhookEndpoint',
    example: {
      id: 'ep_5f0c1a2b3c4d5e6f', tenantId: 'demo-a', url: 'https://hooks.example.com/vouch', eventTypes: [], enabled: true,
      secrets: [{ createdAt: '2026-03-01T12:00:00.000Z' }], createdAt: '2026-03-01T12:00:00.000Z', updatedAt: '2026-03-01T12:00:00.000Z',
      secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
    },
  });
export type EndpointView = z.infer<typeof endpointViewSchema>;

export function endpointView(doc: EndpointDocument, revealSecret = false): EndpointView {
  return {
    id: doc.endpointId,
    tenantId: doc.tenantId,
    url: doc.url,
    ...(doc.description === undefined ? {} : { description: doc.description }),
    eventTypes: doc.eventTypes,
    enabled: doc.enabled,
    secrets: doc.secrets.map((s) => ({ createdAt: s.createdAt, ...(s.expiresAt ? { expiresAt: s.expiresAt } : {}) })),
    createdAt: doc.createdAt,
    updatedAt: doc.updatedAt,
    ...(revealSecret ? { secret: doc.secrets[0]!.secret } : {}),
  };
}

/** Secrets that still sign at `now`, newest first. */
export const signingSecrets = (doc: EndpointDocument, now: Date): string[] =>
  doc.secrets.filter((s) => !s.expiresAt || Date.parse(s.expiresAt) > now.getTime()).map((s) => s.secret);

export const subscribes = (doc: EndpointDocument, eventType: string): boolean =>
  doc.enabled && (doc.eventTypes.length === 0 || (doc.eventTypes as string[]).includes(eventType));
