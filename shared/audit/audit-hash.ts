/**
 * Keyed hashes for the audit trail: entries must let an operator see that two calls came from
 * the same IP, or touched the same subject, without storing the IP or the subjectRef. HMAC-SHA256
 * with the app's pepper (`API_KEY_PEPPER`), so a copy of the audit container alone cannot confirm
 * a guessed IP or subjectRef. A prefix per kind keeps an IP hash from ever equalling a subject hash.
 */
import { createHmac } from 'node:crypto';

const hmac = (pepper: string, message: string): string => createHmac('sha256', pepper).update(message, 'utf8').digest('hex');

/** Hex HMAC of a caller IP (normalised by `callerIp`). */
export const hashIp = (ip: string, pepper: string): string => hmac(pepper, `ip:${ip.toLowerCase()}`);

/**
 * The audit target id of a subject: a hex HMAC of the tenant's subjectRef. The tenant is part of
 * the message, so the same subjectRef in two tenants gives two unrelated ids.
 */
export const hashSubjectRef = (tenantId: string, subjectRef: string, pepper: string): string =>
  hmac(pepper, `subject:${tenantId}:${subjectRef}`);
