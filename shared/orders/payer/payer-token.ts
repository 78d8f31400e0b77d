/**
 * The payer's link token: `base64url("{tenantId}:{orderId}").base64url(mac)`, where the MAC is
 * HMAC-SHA256 over the order with a server key. The readable half is not a secret (it routes the
 * lookup to the merchant's partition with one point read); the MAC half makes the token
 * unguessable. The token is derived rather than random so a replayed create (same
 * Idempotency-Key) hands out the same link; the order stores only sha256 of the token, which the
 * gateway compares, so a token from another order, or a forged one, never matches.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export interface PayerTokenRef {
  tenantId: string;
  orderId: string;
}

const macOf = (key: string, ref: PayerTokenRef) => createHmac('sha256', key).update(`payer-token\n${ref.tenantId}\n${ref.orderId}`).digest('base64url');

export function payerTokenFor(key: string, ref: PayerTokenRef): string {
  return `${Buffer.from(`${ref.tenantId}:${ref.orderId}`, 'utf8').toString('base64url')}.${macOf(key, ref)}`;
}

/** What the order stores: hex sha256 of the token. */
export const payerTokenHash = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex');

/** The order a token names, or undefined for anything that is not shaped like one of ours. */
export function parsePayerToken(token: string): PayerTokenRef | undefined {
  const match = /^([A-Za-z0-9_-]{4,200})\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!match?.[1]) return undefined;
  const readable = Buffer.from(match[1], 'base64url').toString('utf8');
  const colon = readable.indexOf(':');
  if (colon <= 0 || colon === readable.length - 1) return undefined;
  const tenantId = readable.slice(0, colon);
  const orderId = readable.slice(colon + 1);
  if (!/^[a-z0-9][a-z0-9-]{0,62}$/.test(tenantId) || !/^[A-Za-z0-9_-]{1,64}$/.test(orderId)) return undefined;
  return { tenantId, orderId };
}

/** Does `token` hash to the stored value (constant time)? */
export function matchesPayerToken(token: string, storedHash: string | undefined): boolean {
  if (!storedHash) return false;
  const a = Buffer.from(payerTokenHash(token), 'hex');
  const b = Buffer.from(storedHash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}
