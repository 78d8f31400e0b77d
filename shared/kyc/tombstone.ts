import { z } from 'zod';

/**
 * What is left of an erased verification: the same document id in `verifications`, with no
 * personal data (no subjectRef, media, decision or callback). It lets GET answer 410 and lets
 * every late message, trigger or activity see "erased" and do nothing; Cosmos `ttl` (the
 * retention sweep locally) removes it after `purgeAt`.
 */
export const verificationTombstoneSchema = z.object({
  id: z.string().min(1),
  tenantId: z.string().min(1),
  status: z.literal('erased'),
  erasedAt: z.iso.datetime({ offset: true }),
  /** Why it went: a retention deadline, a DELETE, a subject erasure or the sweep. */
  reason: z.enum(['retention', 'request', 'subject-erasure', 'sweep']),
  /** When the tombstone itself may go (then GET answers 404). */
  purgeAt: z.iso.datetime({ offset: true }),
  /** Cosmos per-item time to live, in seconds (enforces `purgeAt` on Azure). */
  ttl: z.number().int().min(1),
  _etag: z.string().optional(),
});
export type VerificationTombstone = z.infer<typeof verificationTombstoneSchema>;
export type ErasureReason = VerificationTombstone['reason'];

/** A stored `verifications` document is a tombstone (checked before parsing it as a record). */
export const isTombstoneDocument = (doc: unknown): boolean =>
  typeof doc === 'object' && doc !== null && (doc as { status?: unknown }).status === 'erased';

/** The whole GET body of an erased verification (410): nothing else. */
export interface ErasedVerificationView {
  id: string;
  status: 'erased';
  erasedAt: string;
}

export const toErasedView = (t: VerificationTombstone): ErasedVerificationView => ({
  id: t.id,
  status: 'erased',
  erasedAt: t.erasedAt,
});
