import { createHash } from 'node:crypto';
import { z } from 'zod';

/**
 * Input of the `verificationRetention` orchestration (one per verification). The deadlines are
 * copied from the record when the orchestration starts, so the orchestrator reads nothing.
 */
export const retentionInputSchema = z.object({
  tenantId: z.string().min(1),
  verificationId: z.string().min(1),
  /** ISO time the media go (document, selfie, video, frames). */
  mediaExpiresAt: z.iso.datetime({ offset: true }),
  /** ISO time the record goes. */
  recordExpiresAt: z.iso.datetime({ offset: true }),
  /** Started by an erasure request (DELETE) rather than by the pipeline: erase at once. */
  eraseNow: z.boolean().optional(),
});
export type RetentionInput = z.infer<typeof retentionInputSchema>;

/** External event that makes the orchestration erase everything now. */
export const ERASE_EVENT = 'erase';

/**
 * Longest single durable timer: Azure Storage task hubs cap a timer at 6 days (the extension
 * splits longer ones itself, but waiting in explicit ≤ 6-day steps does not depend on it).
 */
export const MAX_TIMER_MS = 6 * 86_400_000;

/** Instance ids allow 100 characters: long tenant/verification ids are hashed. */
const MAX_INSTANCE_ID = 100;

/** Deterministic instance id: one retention orchestration per verification, whoever starts it. */
export function retentionInstanceId(tenantId: string, verificationId: string): string {
  const plain = `retention:${tenantId}:${verificationId}`;
  if (plain.length <= MAX_INSTANCE_ID) return plain;
  return `retention:${createHash('sha256').update(`${tenantId}\n${verificationId}`).digest('hex')}`;
}

/**
 * The next timer towards `deadline` from `now`: the deadline itself when it is at most
 * `MAX_TIMER_MS` away, an intermediate wake-up otherwise, or undefined when it has passed.
 */
export function nextWakeUp(now: Date, deadline: Date): Date | undefined {
  if (now.getTime() >= deadline.getTime()) return undefined;
  return new Date(Math.min(deadline.getTime(), now.getTime() + MAX_TIMER_MS));
}
