/**
 * Status changes asked for by people (merchant, trader, team lead, support,
 * admin) or the gateway: check role, ownership and transition, write, then do
 * the side effects (ledger, reservation) idempotently.
 */
import { badRequest } from '../errors';
import type { OrderDeps } from './deps';
import type { OrderDoc } from './documents';
import { finalizeOrder } from './finalize';
import { getOrder, transitionOrder } from './order-transition';
import { orderActionBodySchema, type Actor } from './schemas';
import { nextStatus } from './transitions';

export async function applyOrderAction(
  deps: OrderDeps,
  actor: Actor,
  tenantId: string,
  orderId: string,
  body: unknown,
): Promise<OrderDoc> {
  const parsed = orderActionBodySchema.safeParse(body);
  if (!parsed.success) {
    throw badRequest('Invalid action', { errors: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) });
  }
  const { action, reason } = parsed.data;
  const current = await getOrder(deps, tenantId, orderId);
  // Fail fast (403/409) before any write; transitionOrder checks again on the fresh read it writes.
  nextStatus({ ...current, traderId: current.assignment?.traderId, teamLeadId: current.assignment?.teamLeadId }, action, actor);
  // An approved review starts the payment clock again: the time spent in review was not the payer's.
  // A rejected review fails the order for a reason the merchant can read.
  const change = (): Partial<OrderDoc> =>
    action === 'approve_review'
      ? { expiresAt: new Date(deps.clock.now().getTime() + deps.settings.ORDER_TIMEOUT_MINUTES * 60_000).toISOString() }
      : action === 'reject_review'
        ? { failureReason: 'fraud-review-rejected' }
        : {};
  await transitionOrder(deps, tenantId, orderId, action, actor, change, reason);
  return finalizeOrder(deps, tenantId, orderId);
}
