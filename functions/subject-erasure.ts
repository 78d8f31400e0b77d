/**
 * Subject-level erasure: one orchestration per erasure request erases the subject's
 * verifications, anonymises their orders, then closes the receipt. The input carries ids only
 * (the subjectRef stays in the erasure document until it completes), so the task hub history
 * holds no personal data. Each activity is idempotent; a host restart replays to completion.
 */
import * as df from 'durable-functions';
import type { OrchestrationContext, OrchestrationHandler } from 'durable-functions';
import { z } from 'zod';
import { FUNCTIONS } from '../shared/names';
import { subjectErasureDeps } from '../shared/wiring/privacy';
import { anonymiseSubjectOrders, completeSubjectErasure, eraseSubjectVerifications } from '../shared/privacy/subject-erasure';
import { recordAudit } from '../shared/wiring/audit';

const refSchema = z.object({ tenantId: z.string().min(1), erasureId: z.string().min(1) });

const retry = (() => {
  const options = new df.RetryOptions(5_000, 6);
  options.backoffCoefficient = 2;
  return options;
})();

const subjectErasure: OrchestrationHandler = function* (context: OrchestrationContext) {
  const ref = refSchema.parse(context.df.getInput());
  yield context.df.callActivityWithRetry(FUNCTIONS.eraseSubjectActivity, retry, ref);
  yield context.df.callActivityWithRetry(FUNCTIONS.anonymiseOrdersActivity, retry, ref);
  yield context.df.callActivityWithRetry(FUNCTIONS.recordErasureActivity, retry, ref);
  return 'completed';
};

df.app.orchestration(FUNCTIONS.subjectErasure, subjectErasure);

df.app.activity(FUNCTIONS.eraseSubjectActivity, {
  handler: async (input: unknown) => eraseSubjectVerifications(await subjectErasureDeps(), refSchema.parse(input)),
});

df.app.activity(FUNCTIONS.anonymiseOrdersActivity, {
  handler: async (input: unknown) => anonymiseSubjectOrders(await subjectErasureDeps(), refSchema.parse(input)),
});

df.app.activity(FUNCTIONS.recordErasureActivity, {
  handler: async (input: unknown, context) => {
    const ref = refSchema.parse(input);
    const doc = await completeSubjectErasure(await subjectErasureDeps(), ref);
    await recordAudit({
      action: 'subject.erase',
      tenantId: ref.tenantId,
      actor: `system:${FUNCTIONS.subjectErasure}`,
      roles: ['system'],
      targetType: 'erasure',
      targetId: ref.erasureId,
      outcome: 'success',
      correlationId: context.invocationId,
    });
    return doc.status;
  },
});
