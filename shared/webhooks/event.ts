import { z } from 'zod';

// Event ids become Cosmos ids and (with `:<attempt>`) Service Bus message ids (max 128).
const EVENT_ID = /^[A-Za-z0-9._:-]{1,120}$/;

/** The JSON body of every webhook. */
export const webhookEventSchema = z.object({
  /** Stable per event: receivers de-duplicate on it. */
  id: z.string().regex(EVENT_ID),
  /** e.g. `verification.completed`, `order.status_changed`. */
  type: z.string().min(1),
  /** ISO time the event happened (not the time of the attempt). */
  createdAt: z.iso.datetime(),
  data: z.record(z.string(), z.unknown()),
});
export type WebhookEvent = z.infer<typeof webhookEventSchema>;

export interface WebhookEventInput {
  /** The verification or order the event is about. */
  subjectId: string;
  type: string;
  /** The subject's status the event reports; part of the id so each transition is its own event. */
  status?: string;
  /** When the event happened; keep it from the domain record so a rebuilt event is identical. */
  createdAt: Date;
  /** Client-facing payload: ids and statuses, no personal data. */
  data: Record<string, unknown>;
}

/** Builds the event with a deterministic id: `${subjectId}:${type}:${status}`. */
export function buildWebhook(input: WebhookEventInput): WebhookEvent {
  const id = [input.subjectId, input.type, input.status].filter((p) => p !== undefined).join(':');
  return webhookEventSchema.parse({ id, type: input.type, createdAt: input.createdAt.toISOString(), data: input.data });
}
