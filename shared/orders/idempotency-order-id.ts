/**
 * A merchant's Idempotency-Key becomes the order id: sha256(tenant, key) shaped
 * like a UUID. Creating the same id again returns the existing order (or 409 if
 * the body differs), so a retried request never makes a second order.
 */
import { createHash } from 'node:crypto';
import { badRequest } from '../errors';

const KEY = /^[\x21-\x7e]{1,255}$/;

export function orderIdFromIdempotencyKey(tenantId: string, key: string | null): string {
  if (key === null || key === '') throw badRequest('The Idempotency-Key header is required', { header: 'Idempotency-Key' });
  if (!KEY.test(key)) throw badRequest('Idempotency-Key must be 1-255 visible ASCII characters', { header: 'Idempotency-Key' });
  const hex = createHash('sha256').update(`${tenantId}\n${key}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
