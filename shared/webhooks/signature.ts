import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Standard Webhooks (https://www.standardwebhooks.com): `webhook-id`, `webhook-timestamp`
 * and `webhook-signature: v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<body>">`, keyed
 * with the bytes of a `whsec_<base64>` secret. Receivers verify with the published
 * libraries (`standardwebhooks` on npm, PyPI, Go, ...).
 */
export const WEBHOOK_ID_HEADER = 'webhook-id';
export const WEBHOOK_TIMESTAMP_HEADER = 'webhook-timestamp';
export const WEBHOOK_SIGNATURE_HEADER = 'webhook-signature';

/**
 * The header Vouch signed with before Standard Webhooks (`t=<unix s>,v1=<hex HMAC of "<t>.<body>">`,
 * keyed with the secret string). Deprecated: still sent until 2027-06-30, then dropped.
 */
export const LEGACY_SIGNATURE_HEADER = 'Vouch-Signature';

/** Default window a receiver accepts, in seconds: limits replay of a captured request. */
export const DEFAULT_TOLERANCE_S = 300;

const SECRET_PREFIX = 'whsec_';

/** A new secret in the Standard Webhooks form: `whsec_` + base64 of 32 random bytes. */
export const generateWebhookSecret = (): string => SECRET_PREFIX + randomBytes(32).toString('base64');

/**
 * The HMAC key of a secret: the base64-decoded part after `whsec_`. A secret from
 * before Standard Webhooks (no prefix) is used as its UTF-8 bytes; a receiver's
 * library then takes it as `whsec_` + base64(secret).
 */
export function webhookKey(secret: string): Buffer {
  return secret.startsWith(SECRET_PREFIX) ? Buffer.from(secret.slice(SECRET_PREFIX.length), 'base64') : Buffer.from(secret, 'utf8');
}

const signOne = (secret: string, signedContent: string) => `v1,${createHmac('sha256', webhookKey(secret)).update(signedContent, 'utf8').digest('base64')}`;

/**
 * The three Standard Webhooks headers for one delivery. With several secrets (during
 * a rotation) the signature header carries one space-separated `v1,` entry per
 * secret, as the specification allows; a receiver holding either secret verifies.
 */
export function signWebhook(input: { id: string; timestampS: number; body: string; secrets: readonly string[] }): Record<string, string> {
  const content = `${input.id}.${input.timestampS}.${input.body}`;
  return {
    [WEBHOOK_ID_HEADER]: input.id,
    [WEBHOOK_TIMESTAMP_HEADER]: String(input.timestampS),
    [WEBHOOK_SIGNATURE_HEADER]: input.secrets.map((s) => signOne(s, content)).join(' '),
  };
}

/** The deprecated `Vouch-Signature` value (see `LEGACY_SIGNATURE_HEADER`). */
export function legacySignature(secret: string, body: string, timestampS: number): string {
  return `t=${timestampS},v1=${createHmac('sha256', secret).update(`${timestampS}.${body}`, 'utf8').digest('hex')}`;
}

export type SignatureCheck =
  | { ok: true; timestampS: number }
  | { ok: false; reason: 'malformed' | 'stale' | 'mismatch' };

/**
 * For receivers (and our tests): checks the Standard Webhooks headers against the raw
 * `body` (exact bytes received, before any JSON parsing). Any matching `v1,` entry passes.
 */
export function verifyWebhookSignature(
  secret: string,
  headers: { id: string | undefined; timestamp: string | undefined; signature: string | undefined },
  body: string,
  toleranceS: number = DEFAULT_TOLERANCE_S,
  nowS: number = Math.floor(Date.now() / 1000),
): SignatureCheck {
  const { id, timestamp, signature } = headers;
  if (!id || !timestamp || !/^\d{1,12}$/.test(timestamp) || !signature) return { ok: false, reason: 'malformed' };
  const timestampS = Number(timestamp);
  if (Math.abs(nowS - timestampS) > toleranceS) return { ok: false, reason: 'stale' };
  const expected = Buffer.from(signOne(secret, `${id}.${timestampS}.${body}`));
  const match = signature.split(' ').some((candidate) => {
    const given = Buffer.from(candidate);
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
  return match ? { ok: true, timestampS } : { ok: false, reason: 'mismatch' };
}
