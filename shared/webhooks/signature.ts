import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'Vouch-Signature';

/** Default window a receiver accepts, in seconds: limits replay of a captured request. */
export const DEFAULT_TOLERANCE_S = 300;

const hmacHex = (secret: string, timestamp: number, body: string) =>
  createHmac('sha256', secret).update(`${timestamp}.${body}`, 'utf8').digest('hex');

/** `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`. */
export function signWebhook(secret: string, body: string, timestampS: number): string {
  return `t=${timestampS},v1=${hmacHex(secret, timestampS, body)}`;
}

export type SignatureCheck =
  | { ok: true; timestampS: number }
  | { ok: false; reason: 'malformed' | 'stale' | 'mismatch' };

/**
 * For receivers: checks `header` against the raw `body` (exact bytes received,
 * before any JSON parsing). Several `v1=` entries are accepted (secret rotation).
 */
export function verifyWebhookSignature(
  secret: string,
  header: string,
  body: string,
  toleranceS: number = DEFAULT_TOLERANCE_S,
  nowS: number = Math.floor(Date.now() / 1000),
): SignatureCheck {
  const parts = header.split(',').map((p) => p.trim().split('='));
  const t = parts.find(([k]) => k === 't')?.[1];
  const candidates = parts.filter(([k, v]) => k === 'v1' && v && /^[0-9a-f]{64}$/.test(v)).map(([, v]) => v as string);
  if (!t || !/^\d{1,12}$/.test(t) || candidates.length === 0) return { ok: false, reason: 'malformed' };
  const timestampS = Number(t);
  if (Math.abs(nowS - timestampS) > toleranceS) return { ok: false, reason: 'stale' };
  const expected = Buffer.from(hmacHex(secret, timestampS, body), 'hex');
  const match = candidates.some((c) => timingSafeEqual(Buffer.from(c, 'hex'), expected));
  return match ? { ok: true, timestampS } : { ok: false, reason: 'mismatch' };
}
