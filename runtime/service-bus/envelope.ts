/**
 * The JSON envelope a Service Bus message is stored in, base64-encoded so any body survives the
 * storage queue's XML transport. Storage caps a message at 64 KiB of text, so the JSON may be ~48 KiB.
 */
import { z } from 'zod';
import type { OutgoingMessage } from '../../shared/platform/messaging';

export const STORAGE_MESSAGE_LIMIT_BYTES = 64 * 1024;

const propertyValue = z.union([z.string(), z.number(), z.boolean()]);

const envelopeSchema = z.object({
  v: z.literal(1),
  messageId: z.string().min(1),
  body: z.unknown(),
  enqueuedTimeUtc: z.string(),
  scheduledEnqueueTimeUtc: z.string().optional(),
  correlationId: z.string().optional(),
  subject: z.string().optional(),
  contentType: z.string().optional(),
  applicationProperties: z.record(z.string(), propertyValue).optional(),
  /** Set on dead-lettered copies only. */
  deadLetterReason: z.string().optional(),
  deadLetterErrorDescription: z.string().optional(),
  deliveryCount: z.number().int().optional(),
});

export type Envelope = z.infer<typeof envelopeSchema>;

export function envelopeFor(message: OutgoingMessage, now: Date): Envelope {
  return {
    v: 1,
    messageId: message.messageId,
    body: message.body,
    enqueuedTimeUtc: now.toISOString(),
    ...(message.scheduledEnqueueTimeUtc && { scheduledEnqueueTimeUtc: message.scheduledEnqueueTimeUtc.toISOString() }),
    ...(message.correlationId !== undefined && { correlationId: message.correlationId }),
    ...(message.subject !== undefined && { subject: message.subject }),
    ...(message.applicationProperties && { applicationProperties: { ...message.applicationProperties } }),
  };
}

export function encodeEnvelope(envelope: Envelope): string {
  return Buffer.from(JSON.stringify(envelope), 'utf8').toString('base64');
}

/** Returns the envelope, or an error text when the stored message is not one of ours. */
export function decodeEnvelope(text: string): { envelope: Envelope } | { invalid: string } {
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(text, 'base64').toString('utf8'));
  } catch {
    return { invalid: 'Message text is not a base64 JSON envelope' };
  }
  const parsed = envelopeSchema.safeParse(json);
  return parsed.success ? { envelope: parsed.data } : { invalid: `Invalid envelope: ${parsed.error.message}` };
}
