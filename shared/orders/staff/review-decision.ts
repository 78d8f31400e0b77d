/** Body of the fraud-review decision (platform support/admin), mapped to the engine's actions. */
import { z } from 'zod';
import type { OrderActionBody } from '../schemas';

export const reviewBodySchema = z.strictObject({
  decision: z.enum(['approve', 'reject']),
  /** Why: required, it is the record of a person's judgement on a held order. */
  reason: z.string().trim().min(1).max(500),
});

export const reviewAction = (body: z.infer<typeof reviewBodySchema>): OrderActionBody => ({
  action: body.decision === 'approve' ? 'approve_review' : 'reject_review',
  reason: body.reason,
});
