/** Input schemas of the order engine: what callers (HTTP, queue, admin) hand in. */
import { z } from 'zod';
import { isSupportedCurrency } from '../money';
import { payeeBodySchema } from './payment-details/payee';

/** Body of POST pay-in / pay-out. `amount` is a decimal string in `currency`'s units, never a float. */
export const createOrderBodySchema = z.strictObject({
  amount: z.string().regex(/^(0|[1-9]\d*)(\.\d+)?$/, 'amount must be a decimal string such as "1000.00"'),
  currency: z.string().regex(/^[A-Z]{3,4}$/, 'currency must be an ISO 4217 code').refine(isSupportedCurrency, 'unsupported currency'),
  method: z.string().min(1).max(40),
  /** The merchant's own id for its customer (opaque; used for velocity checks, never shown to traders). */
  customerRef: z.string().min(1).max(128),
  callbackUrl: z.url({ protocol: /^https?$/ }).max(2048).optional(),
  /** Pay-outs only (and required there): whom the trader pays; validated per method in payment-details/payee.ts. */
  payee: payeeBodySchema.optional(),
});
export type CreateOrderBody = z.infer<typeof createOrderBodySchema>;

export const ORDER_DIRECTIONS = ['payin', 'payout'] as const;
export type OrderDirection = (typeof ORDER_DIRECTIONS)[number];

/** `payer`: the merchant's customer holding the order's payer link (shared/orders/payer). */
export const ROLES = ['merchant', 'trader', 'teamlead', 'support', 'admin', 'system', 'payer'] as const;
export type Role = (typeof ROLES)[number];

/** Who is acting. Merchants carry their tenant, traders their trader id, team leads their team-lead id. */
export const actorSchema = z.object({
  role: z.enum(ROLES),
  /** Principal id, for the audit trail. */
  id: z.string().min(1),
  tenantId: z.string().optional(),
  traderId: z.string().optional(),
  teamLeadId: z.string().optional(),
});
export type Actor = z.infer<typeof actorSchema>;

/** The engine acting on its own (queue handler, timers, orchestrations). */
export const SYSTEM_ACTOR: Actor = { role: 'system', id: 'system' };

export const ORDER_ACTIONS = [
  'confirm_payment', // pay-in: client/merchant says the money was sent; pay-out: trader says he sent it
  'confirm', // the receiving side confirms: completes the order
  'cancel',
  'dispute',
  'resolve_complete',
  'resolve_cancel',
  'approve_review',
  'reject_review',
] as const;
export type OrderAction = (typeof ORDER_ACTIONS)[number];

/** Body of a status-change request. */
export const orderActionBodySchema = z.strictObject({
  action: z.enum(ORDER_ACTIONS),
  reason: z.string().max(500).optional(),
});
export type OrderActionBody = z.infer<typeof orderActionBodySchema>;
