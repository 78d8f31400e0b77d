/**
 * The orchestration's last word when assignment keeps throwing: the order
 * becomes `failed` with a reason (idempotent; a status that moved on stands).
 */
import { DomainError } from '../errors';
import type { OrderDeps } from './deps';
import type { OrderDoc } from './documents';
import { finalizeOrder } from './finalize';
import { getOrder, transitionOrder } from './order-transition';
import { SYSTEM_ACTOR } from './schemas';
import { allowedFrom } from './transitions';

export async function failOrder(deps: OrderDeps, tenantId: string, orderId: string, reason: string): Promise<OrderDoc> {
  const order = await getOrder(deps, tenantId, orderId);
  if (allowedFrom('fail').includes(order.status)) {
    try {
      await transitionOrder(deps, tenantId, orderId, 'fail', SYSTEM_ACTOR, () => ({ failureReason: reason }), reason);
    } catch (error) {
      if (!(error instanceof DomainError && error.code === 'illegal-transition')) throw error;
    }
  }
  return finalizeOrder(deps, tenantId, orderId);
}
