import { QUEUES } from '../names';
import { buildWebhook } from '../webhooks';
import { messageIds, verificationCompletedEventSchema, type VerificationCompletedEvent } from './messages';
import type { PipelineDeps } from './pipeline-ports';
import type { FailureReason } from './reasons';
import { applyStatusChange, isTerminal, type VerificationRecord } from './verification';

/** The `events` message for a terminal record; rebuilt identically on every run. */
export function completedEvent(record: VerificationRecord): VerificationCompletedEvent {
  if (!isTerminal(record.status)) throw new Error(`Verification ${record.id} is not finished`);
  return verificationCompletedEventSchema.parse({
    type: 'verification.completed',
    id: messageIds.completed(record.id),
    tenantId: record.tenantId,
    verificationId: record.id,
    ...(record.subjectRef === undefined ? {} : { subjectRef: record.subjectRef }),
    status: record.status,
    ...(record.decision ? { outcome: record.decision.outcome } : {}),
    reasons: record.decision?.reasons ?? (record.failureReason ? [record.failureReason] : []),
    ...(record.failureReason === undefined ? {} : { failureReason: record.failureReason }),
    decidedAt: record.decidedAt ?? record.updatedAt,
  });
}

/**
 * Announces a finished verification: the `events` message and the webhook (to the
 * request's callbackUrl, else to the tenant's subscribed endpoints). Both carry
 * deterministic ids, so a handler that runs again after a crash re-sends them harmlessly (the broker and the webhook log drop duplicates).
 */
export async function publishCompletion(record: VerificationRecord, deps: PipelineDeps): Promise<void> {
  const event = completedEvent(record);
  await deps.sender.send(QUEUES.events, {
    messageId: event.id,
    body: event,
    subject: event.type,
    correlationId: record.id,
  });
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
    await deps.webhook({ tenantId: record.tenantId, callbackUrl: record.callbackUrl, event: webhook });
  }
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
  const { record } = await deps.verifications.update(ref.tenantId, ref.verificationId, (r) =>
    isTerminal(r.status) ? undefined : applyStatusChange(r, { to: 'failed', reason }, deps.clock.now()).record,
  );
  await publishCompletion(record, deps);
  return record;
}
