/** Query and body schemas of the merchant self-service routes. */
import { z } from 'zod';
import { DomainError } from '../../errors';
import { pageQuerySchema } from '../paging';
import { ORDER_DIRECTIONS } from '../schemas';
import { ORDER_STATUSES } from '../transitions';
import type { BlobStore } from '../../kyc/blob-store';
import type { ReceivedConfirmation } from '../receipts';

const isoTime = z.iso.datetime({ offset: true }).transform((value) => new Date(value).toISOString());
const storeIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'letters, digits, _ and -, at most 64');

/** `GET /v1/orders`: filters and paging; `from`/`to` bound the creation time (ISO 8601, inclusive). */
export const merchantOrderQuerySchema = pageQuerySchema
  .extend({
    status: z.enum(ORDER_STATUSES).optional(),
    direction: z.enum(ORDER_DIRECTIONS).optional(),
    customerRef: z.string().min(1).max(128).optional(),
    from: isoTime.optional(),
    to: isoTime.optional(),
    storeId: storeIdSchema.optional(),
  })
  .refine((q) => q.from === undefined || q.to === undefined || q.from <= q.to, { message: 'from must not be after to', path: ['from'] });

/** Balance reads: optional store (a tenant-wide key) and currency. */
export const balanceQuerySchema = z.object({
  storeId: storeIdSchema.optional(),
  currency: z.string().regex(/^[A-Z]{3,4}$/, 'an ISO 4217 code').optional(),
});

export const historyQuerySchema = pageQuerySchema.extend({ storeId: storeIdSchema.optional() });
export const currencyParams = z.object({ currency: z.string().regex(/^[A-Z]{3,4}$/, 'an ISO 4217 code') });

/** `GET /v1/statement`: one currency, a time range of postings (default: the last 31 days). */
export const statementQuerySchema = z
  .object({ currency: z.string().regex(/^[A-Z]{3,4}$/, 'an ISO 4217 code'), storeId: storeIdSchema.optional(), from: isoTime.optional(), to: isoTime.optional() })
  .refine((q) => q.from === undefined || q.to === undefined || q.from <= q.to, { message: 'from must not be after to', path: ['from'] });

/**
 * A dispute needs its reason (the evidence file is optional): 400 `validation-failed` otherwise,
 * after deleting evidence that was already stored, so a refused dispute leaves no blob behind.
 */
export async function requireDisputeReason(received: ReceivedConfirmation, blobs: Pick<BlobStore, 'delete'>): Promise<ReceivedConfirmation> {
  const reason = received.reason?.trim();
  if (reason) return { ...received, reason };
  if (received.receipt) await blobs.delete(received.receipt.blobName).catch(() => undefined);
  throw new DomainError('validation-failed', 'A dispute needs a reason', 400, { errors: [{ path: 'reason', message: 'Required' }] });
}
