import { createHash } from 'node:crypto';
import type { Container } from '@azure/cosmos';
import { z } from 'zod';
import { badRequest } from '../errors';

/**
 * Idempotency-Key claims for POST /api/v1/verifications in the `idempotency` container
 * (partition `/tenantId`). A claim only maps the key to the verification id it reserved;
 * whether that verification finished is read from the verification record itself, so
 * the two containers never have to be written atomically.
 */
export const idempotencyClaimSchema = z.object({
  id: z.string(),
  tenantId: z.string(),
  scope: z.literal('verifications.create'),
  verificationId: z.string(),
  claimedAt: z.iso.datetime({ offset: true }),
  /** Cosmos time to live, in seconds. */
  ttl: z.number().int().min(1),
  _etag: z.string().optional(),
});
export type IdempotencyClaim = z.infer<typeof idempotencyClaimSchema>;

/** RFC-draft Idempotency-Key: 1–255 visible ASCII characters. */
export const idempotencyKeySchema = z.string().regex(/^[\x21-\x7e]{1,255}$/, 'must be 1-255 visible ASCII characters');

export function parseIdempotencyKey(header: string | null | undefined): string | undefined {
  if (header === null || header === undefined) return undefined;
  const parsed = idempotencyKeySchema.safeParse(header.trim());
  if (!parsed.success) throw badRequest('Invalid Idempotency-Key header', { errors: [{ field: 'Idempotency-Key', message: parsed.error.issues[0]?.message }] });
  return parsed.data;
}

/** Document id for a tenant's key: hashed, so any key characters are safe and keys never appear in ids or logs. */
export const idempotencyDocId = (tenantId: string, key: string): string =>
  'verifications.create:' + createHash('sha256').update(`${tenantId}\n${key}`).digest('hex');

export interface IdempotencyStore {
  /** Creates the claim, or returns the existing one for the same tenant and key. */
  claim(claim: IdempotencyClaim): Promise<{ claimed: true } | { claimed: false; existing: IdempotencyClaim }>;
  /** Replaces `existing` (ETag-conditioned) with a fresh claim; false if someone else changed it first. */
  takeOver(existing: IdempotencyClaim, claim: IdempotencyClaim): Promise<boolean>;
  /** Forgets a claim whose request failed, so a retry starts afresh. */
  release(tenantId: string, id: string): Promise<void>;
}

const statusOf = (e: unknown): number | undefined =>
  typeof e === 'object' && e !== null && typeof (e as { code?: unknown }).code === 'number'
    ? (e as { code: number }).code
    : undefined;

export function createIdempotencyStore(container: Container): IdempotencyStore {
  const strip = ({ _etag, ...rest }: IdempotencyClaim) => rest;
  return {
    async claim(claim) {
      try {
        await container.items.create(strip(claim));
        return { claimed: true };
      } catch (e) {
        if (statusOf(e) !== 409) throw e;
      }
      const { resource } = await container.item(claim.id, claim.tenantId).read();
      // Gone between our create and read (released by the request that held it): claim again.
      if (!resource) return this.claim(claim);
      return { claimed: false, existing: idempotencyClaimSchema.parse(resource) };
    },
    async takeOver(existing, claim) {
      try {
        await container.item(existing.id, existing.tenantId).replace(strip(claim), {
          accessCondition: { type: 'IfMatch', condition: existing._etag ?? '' },
        });
        return true;
      } catch (e) {
        if (statusOf(e) === 412 || statusOf(e) === 404) return false;
        throw e;
      }
    },
    async release(tenantId, id) {
      try {
        await container.item(id, tenantId).delete();
      } catch (e) {
        if (statusOf(e) !== 404) throw e;
      }
    },
  };
}
