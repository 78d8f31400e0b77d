import { recordKycDecision } from '../platform/metrics';
import { buildWebhook } from '../webhooks';
import { messageIds, verificationCompletedEventSchema, type VerificationCompletedEvent } from './messages';
import type { PipelineDeps } from './pipeline-ports';
import type { FailureReason } from './reasons';
import { applyStatusChange, isTerminal, type VerificationRecord } from './verification';

/**
 * The `verification.completed` event for a terminal record; rebuilt identically on every run. A case a person
 * settled (`record.review`) is its own event: another id, the person's outcome and time, `reviewed: true`.
 */
export function completedEvent(record: VerificationRecord): VerificationCompletedEvent {
  if (!isTerminal(record.status)) throw new Error(`Verification ${record.id} is not finished`);
  const review = record.review;
  return verificationCompletedEventSchema.parse({
    type: 'verification.completed',
    id: review ? messageIds.reviewed(record.id) : messageIds.completed(record.id),
    tenantId: record.tenantId,
    verificationId: record.id,
    status: record.status,
    ...(review ? { outcome: review.outcome } : record.decision ? { outcome: record.decision.outcome } : {}),
    reasons: record.decision?.reasons ?? (record.failureReason ? [record.failureReason] : []),
    ...(record.failureReason === undefined ? {} : { failureReason: record.failureReason }),
    decidedAt: review?.decidedAt ?? record.decidedAt ?? record.updatedAt,
    ...(review ? { reviewed: true } : {}),
  });
}

/**
 * Announces a finished verification with the signed webhook: to the request's callbackUrl, else to
 * the tenant's subscribed endpoints (a human decision on a review case too). The event id is
 * deterministic, so a handler that runs again after a crash re-sends it harmlessly (the webhook log drops duplicates).
 */
export async function publishCompletion(record: VerificationRecord, deps: Pick<PipelineDeps, 'sender' | 'webhook'>): Promise<void> {
  const event = completedEvent(record);
  if (deps.webhook) {
    const { type, tenantId, id, ...data } = event;
    void tenantId;
    void id;
    const webhook = buildWebhook({
      subjectId: record.id,
      type,
      status: record.status,
      createdAt: new Date(event.decidedAt),
      data,
    });
    await deps.webhook({ tenantId: record.tenantId, ...(record.callbackUrl ? { callbackUrl: record.callbackUrl } : {}), event: webhook });
  }
}

/** The decision metric and event of a record that just became final (once, by the run that wrote it). */
export function recordDecisionOf(record: VerificationRecord): void {
  recordKycDecision({
    verificationId: record.id,
    outcome: record.status,
    reasons: record.decision?.reasons ?? (record.failureReason ? [record.failureReason] : []),
    createdAt: record.createdAt,
    ...(record.decidedAt === undefined ? {} : { decidedAt: record.decidedAt }),
  });
}

/**
 * Ends a verification as `failed` (unless it already finished: first final state wins)
 * and announces it. Returns the record as stored.
 */
export async function failVerification(
  ref: { tenantId: string; verificationId: string },
  reason: FailureReason,
  deps: PipelineDeps,
): Promise<VerificationRecord | undefined> {
  const current = await deps.verifications.get(ref.tenantId, ref.verificationId);
  if (!current) return undefined;
  const { record, changed } = await deps.verifications.update(ref.tenantId, ref.verificationId, (r) =>
    isTerminal(r.status) ? undefined : applyStatusChange(r, { to: 'failed', reason }, deps.clock.now()).record,
  );
  if (changed) recordDecisionOf(record);
  await publishCompletion(record, deps);
  return record;
}
