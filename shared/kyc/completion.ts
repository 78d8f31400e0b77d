import { recordKycDecision } from '../platform/metrics';
import { buildWebhook } from '../webhooks';
import { messageIds, verificationCompletedEventSchema, type VerificationCompletedEvent } from './messages';
import type { PipelineDeps } from './pipeline-ports';
import type { FailureReason } from './reasons';
import { applyStatusChange, isTerminal, type VerificationRecord } from './verification';

/**
 * The `verification.completed` payload of a terminal record (the webhook's `data`); rebuilt
 * identically on every run. No subjectRef: the payload rides Service Bus (`webhooks`), and the
 * receiver matches it by `verificationId`, which it got when it created the verification.
 */
export function completedEvent(record: VerificationRecord): VerificationCompletedEvent {
  if (!isTerminal(record.status)) throw new Error(`Verification ${record.id} is not finished`);
  return verificationCompletedEventSchema.parse({
    type: 'verification.completed',
    id: messageIds.completed(record.id),
    tenantId: record.tenantId,
    verificationId: record.id,
    status: record.status,
    ...(record.decision ? { outcome: record.decision.outcome } : {}),
    reasons: record.decision?.reasons ?? (record.failureReason ? [record.failureReason] : []),
    ...(record.failureReason === undefined ? {} : { failureReason: record.failureReason }),
    decidedAt: record.decidedAt ?? record.updatedAt,
  });
}

/**
 * Announces a finished verification with the signed webhook to its callbackUrl (the tenant's
 * integration polls GET otherwise). The event id is deterministic, so a handler that runs again
 * after a crash re-sends it harmlessly (the webhook log drops duplicates).
 */
export async function publishCompletion(record: VerificationRecord, deps: PipelineDeps): Promise<void> {
  const event = completedEvent(record);
  if (record.callbackUrl && deps.webhook) {
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
    await deps.webhook({ tenantId: record.tenantId, callbackUrl: record.callbackUrl, event: webhook });
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
