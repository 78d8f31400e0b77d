/**
 * `context.triggerMetadata` for a Service Bus trigger, with the keys the Service Bus extension (v5,
 * `ServiceBusTriggerBindingStrategy`) binds, after the camel-casing `@azure/functions` applies to them
 * (first letter lowercased, recursively, so an application property `Kind` arrives as `kind`).
 * Dates are ISO strings, as they arrive through the worker protocol. Keys without a local meaning
 * (sequenceNumber, replyTo, to, sessionId, partitionKey, deadLetterSource) are left out.
 */
import type { ReceivedMessage } from './local-broker';

/** Service Bus's "never expires" (DateTime.MaxValue), which is what expiresAt shows without a TTL. */
const NEVER_EXPIRES = '9999-12-31T23:59:59.999Z';

export function singleMessageMetadata(message: ReceivedMessage): Record<string, unknown> {
  const properties = camelCaseKeys(message.applicationProperties);
  const enqueued = message.enqueuedTimeUtc.toISOString();
  return {
    messageId: message.messageId,
    deliveryCount: message.deliveryCount,
    lockToken: message.lockToken,
    enqueuedTimeUtc: enqueued,
    enqueuedTime: enqueued,
    expiresAtUtc: NEVER_EXPIRES,
    expiresAt: NEVER_EXPIRES,
    applicationProperties: properties,
    userProperties: properties,
    ...(message.correlationId !== undefined && { correlationId: message.correlationId }),
    ...(message.contentType !== undefined && { contentType: message.contentType }),
    ...(message.subject !== undefined && { subject: message.subject, label: message.subject }),
  };
}

/** `cardinality: "many"`: the same keys with an `Array` suffix, one entry per message. */
export function batchMetadata(messages: readonly ReceivedMessage[]): Record<string, unknown> {
  const perMessage = messages.map(singleMessageMetadata);
  const keys = new Set(perMessage.flatMap((m) => Object.keys(m)));
  const result: Record<string, unknown> = {};
  for (const key of keys) result[`${key}Array`] = perMessage.map((m) => m[key] ?? null);
  return result;
}

function camelCaseKeys(properties: Record<string, string | number | boolean>): Record<string, string | number | boolean> {
  return Object.fromEntries(Object.entries(properties).map(([k, v]) => [k.charAt(0).toLowerCase() + k.slice(1), v]));
}
