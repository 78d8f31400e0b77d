/**
 * Retention of verifications: one orchestration per verification waits on durable timers for
 * the media and record deadlines (or an `erase` event) and erases; a daily timer sweeps what
 * an orchestration missed. Deterministic orchestrator: input only, time from currentUtcDateTime.
 */
import { app, type InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import type { OrchestrationContext, OrchestrationHandler, Task } from 'durable-functions';
import { z } from 'zod';
import { contextLogger } from '../shared/http/context-logger';
import { FUNCTIONS } from '../shared/names';
import { eraseVerification, eraseVerificationMedia } from '../shared/privacy/erase-verification';
import { privacySettings, retentionSweepDeps, verificationErasureDeps } from '../shared/wiring/privacy';
import { ERASE_EVENT, nextWakeUp, retentionInputSchema } from '../shared/privacy/retention-plan';
import { sweepRetention } from '../shared/privacy/retention-sweep';
import { recordAudit } from '../shared/wiring/audit';

const activityInputSchema = z.object({
  tenantId: z.string().min(1),
  verificationId: z.string().min(1),
  reason: z.enum(['retention', 'request']),
});
type ActivityInput = z.infer<typeof activityInputSchema>;

/** Erasure activities retry with backoff; if they still fail, the daily sweep finishes the job. */
const retry = (() => {
  const options = new df.RetryOptions(5_000, 6);
  options.backoffCoefficient = 2;
  return options;
})();

/** Waits until `deadline` in timers of at most 6 days, or until the erase event; returns which came first. */
function* waitFor(context: OrchestrationContext, deadline: Date, erase: Task): Generator<Task, 'deadline' | 'erase', unknown> {
  for (;;) {
    // An event that arrived while an activity ran completed outside any `Task.any`; a new `any`
    // around an already completed task would never resolve for it.
    if (erase.isCompleted) return 'erase';
    const wakeAt = nextWakeUp(context.df.currentUtcDateTime, deadline);
    if (!wakeAt) return 'deadline';
    const timer = context.df.createTimer(wakeAt);
    const winner: unknown = yield context.df.Task.any([erase, timer]);
    if (winner === erase) {
      timer.cancel();
      return 'erase';
    }
  }
}

const verificationRetention: OrchestrationHandler = function* (context: OrchestrationContext) {
  const input = retentionInputSchema.parse(context.df.getInput());
  const ref = { tenantId: input.tenantId, verificationId: input.verificationId };
  // One waiter for the whole life: an abandoned waiter would swallow the event.
  const erase = context.df.waitForExternalEvent(ERASE_EVENT);
  let reason: ActivityInput['reason'] = 'request';
  if (!input.eraseNow) {
    const media = yield* waitFor(context, new Date(input.mediaExpiresAt), erase);
    if (media === 'deadline') {
      yield context.df.callActivityWithRetry(FUNCTIONS.eraseVerificationMediaActivity, retry, { ...ref, reason: 'retention' });
      const record = yield* waitFor(context, new Date(input.recordExpiresAt), erase);
      if (record === 'deadline') reason = 'retention';
    }
  }
  yield context.df.callActivityWithRetry(FUNCTIONS.eraseVerificationRecordActivity, retry, { ...ref, reason });
  return reason;
};

df.app.orchestration(FUNCTIONS.verificationRetention, verificationRetention);

const systemAudit = (functionName: string, input: ActivityInput, correlationId: string) =>
  recordAudit({
    action: input.reason === 'retention' ? 'retention.erase' : 'verification.erase',
    tenantId: input.tenantId,
    actor: `system:${functionName}`,
    roles: ['system'],
    targetType: 'verification',
    targetId: input.verificationId,
    outcome: 'success',
    correlationId,
  });

df.app.activity(FUNCTIONS.eraseVerificationMediaActivity, {
  handler: async (raw: unknown, context: InvocationContext) => {
    const input = activityInputSchema.parse(raw);
    const counts = await eraseVerificationMedia(await verificationErasureDeps(), input);
    await systemAudit(FUNCTIONS.verificationRetention, input, context.invocationId);
    return counts;
  },
});

df.app.activity(FUNCTIONS.eraseVerificationRecordActivity, {
  handler: async (raw: unknown, context: InvocationContext) => {
    const input = activityInputSchema.parse(raw);
    const counts = await eraseVerification(await verificationErasureDeps(), input, input.reason);
    await systemAudit(FUNCTIONS.verificationRetention, input, context.invocationId);
    return counts;
  },
});

app.timer(FUNCTIONS.retentionSweep, {
  schedule: '%RETENTION_SWEEP_SCHEDULE%',
  handler: async (_timer: unknown, context: InvocationContext) => {
    const { sweepBatchSize } = await privacySettings();
    const report = await sweepRetention(await retentionSweepDeps(), sweepBatchSize);
    const log = contextLogger(context, context.invocationId);
    for (const ref of report.erased) {
      await recordAudit(
        {
          action: 'retention.erase',
          tenantId: ref.tenantId,
          actor: `system:${FUNCTIONS.retentionSweep}`,
          roles: ['system'],
          targetType: 'verification',
          targetId: ref.verificationId,
          outcome: 'success',
          correlationId: context.invocationId,
        },
        log,
      );
    }
    context.log(`retention sweep: ${report.media} media, ${report.records} records, ${report.tombstones} tombstones, ${report.orphanPrefixes} orphan prefixes`);
    return report;
  },
});
