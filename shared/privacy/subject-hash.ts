import { createHmac } from 'node:crypto';

/**
 * Keyed hash of a tenant's subjectRef: lets an erasure receipt say which subject it was for
 * (the tenant can recompute it) without storing the reference itself. HMAC-SHA256, hex.
 */
export function subjectHash(key: string, tenantId: string, subjectRef: string): string {
  return createHmac('sha256', key).update(`subject\n${tenantId}\n${subjectRef}`).digest('hex');
}
