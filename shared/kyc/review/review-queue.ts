/**
 * `GET /api/v1/review/verifications`: open review cases, oldest first (the longest wait on top),
 * filtered by reason and age, paged like the staff lists (`limit`, `continuation`).
 */
import type { Container } from '@azure/cosmos';
import { z } from 'zod';
import { pageQuerySchema, queryPage, type Page } from '../../orders/paging';
import { reasonCodeSchema, type ReasonCode } from '../reasons';

export const reviewQueueQuerySchema = pageQuerySchema.extend({
  /** Only cases with this reason code among their reasons. */
  reason: reasonCodeSchema.optional(),
  /** Only cases waiting at least this many minutes (since the policy sent them to review). */
  olderThanMinutes: z.coerce.number().int().min(0).max(525_600).optional(),
  /** Platform staff only: one tenant's cases. */
  tenantId: z.string().min(1).max(64).optional(),
});
export type ReviewQueueQuery = z.infer<typeof reviewQueueQuerySchema>;

/** One open case as the queue lists it: ids, reasons, scores and age, no media or personal data. */
export interface ReviewCaseSummary {
  id: string;
  tenantId: string;
  /** The policy's reason codes. */
  reasons: ReasonCode[];
  createdAt: string;
  /** When the policy sent the case to review; its wait counts from here. */
  inReviewSince: string;
  waitingMinutes: number;
  /** Waiting longer than `kyc.reviewSlaMinutes`. */
  overdue: boolean;
  selfieKind: 'photo' | 'video' | null;
  faceMatchScore: number | null;
  livenessScore: number | null;
}

interface QueueRow {
  id: string;
  tenantId: string;
  createdAt: string;
  decidedAt: string;
  reasons?: ReasonCode[];
  selfieKind?: 'photo' | 'video';
  faceMatchScore?: number | null;
  livenessScore?: number | null;
}

export interface ReviewQueueFilter {
  /** undefined = every tenant (platform staff). */
  tenantId: string | undefined;
  reason?: ReasonCode | undefined;
  olderThanMinutes?: number | undefined;
}

/** How long a case has waited since `since`, and whether that is past the SLA (the overdue metric's rule). */
export function waitingTime(since: string, now: Date, slaMinutes: number): { waitingMinutes: number; overdue: boolean } {
  const waitedMs = Math.max(0, now.getTime() - Date.parse(since));
  return { waitingMinutes: Math.floor(waitedMs / 60_000), overdue: waitedMs > slaMinutes * 60_000 };
}

export async function listReviewQueue(
  container: Container,
  filter: ReviewQueueFilter,
  page: { limit: number; continuation?: string | undefined },
  clock: { now: () => Date; slaMinutes: number },
): Promise<Page<ReviewCaseSummary>> {
  const now = clock.now();
  const where = ["c.status = 'review'"];
  const parameters: { name: string; value: string }[] = [];
  if (filter.tenantId !== undefined) {
    where.push('c.tenantId = @tenantId');
    parameters.push({ name: '@tenantId', value: filter.tenantId });
  }
  if (filter.reason !== undefined) {
    where.push('ARRAY_CONTAINS(c.decision.reasons, @reason)');
    parameters.push({ name: '@reason', value: filter.reason });
  }
  if (filter.olderThanMinutes !== undefined) {
    where.push('c.decidedAt <= @cutoff');
    parameters.push({ name: '@cutoff', value: new Date(now.getTime() - filter.olderThanMinutes * 60_000).toISOString() });
  }
  const select =
    'SELECT c.id, c.tenantId, c.createdAt, c.decidedAt, c.decision.reasons AS reasons, c.media.selfie.kind AS selfieKind, ' +
    'c.decision.faceMatch.score AS faceMatchScore, c.decision.liveness.score AS livenessScore FROM c';
  const result = await queryPage<QueueRow>(
    container,
    { query: `${select} WHERE ${where.join(' AND ')} ORDER BY c.decidedAt ASC`, parameters },
    { ...page, partitionKey: filter.tenantId },
  );
  return {
    items: result.items.map((row) => ({
      id: row.id,
      tenantId: row.tenantId,
      reasons: row.reasons ?? [],
      createdAt: row.createdAt,
      inReviewSince: row.decidedAt,
      ...waitingTime(row.decidedAt, now, clock.slaMinutes),
      selfieKind: row.selfieKind ?? null,
      faceMatchScore: row.faceMatchScore ?? null,
      livenessScore: row.livenessScore ?? null,
    })),
    ...(result.continuation ? { continuation: result.continuation } : {}),
  };
}
