/** Bodies of the staff order endpoints, mapped to engine actions. */
import { z } from 'zod';
import type { OrderActionBody } from './schemas';

export const reasonBodySchema = z.strictObject({ reason: z.string().max(500).optional() });

export const resolveBodySchema = z.strictObject({
  outcome: z.enum(['complete', 'cancel']),
  reason: z.string().max(500).optional(),
});

export const resolveAction = (body: z.infer<typeof resolveBodySchema>): OrderActionBody => ({
  action: body.outcome === 'complete' ? 'resolve_complete' : 'resolve_cancel',
  ...(body.reason ? { reason: body.reason } : {}),
});
