/**
 * The assigned trader's view of one order, with the payment details in full: a pay-out's payee
 * (whom he must pay) and the number of his own requisite the payer was shown. Everywhere else
 * they stay masked. Every opening is audited as `order.details-read`, in the merchant's trail.
 */
import { orderDetailsReadEvent } from '../audit/order-events';
import { forbidden } from '../errors';
import type { OrderDeps } from './deps';
import { getOrder } from './order-transition';
import { openPayee, type PayeeDetails } from './payment-details/payee';
import { openPayTo, type PayTo } from './payer/payer-gateway';
import type { Actor } from './schemas';
import { toOrderView, type OrderView } from './view';

export interface TraderOrderDetails extends OrderView {
  /** Pay-out: whom to pay, in full. */
  payeeDetails?: PayeeDetails;
  /** Pay-in: the requisite the payer pays to, in full. */
  requisiteDetails?: PayTo;
}

export async function traderOrderDetails(deps: OrderDeps, actor: Actor, tenantId: string, orderId: string, ip?: string): Promise<TraderOrderDetails> {
  const order = await getOrder(deps, tenantId, orderId);
  // Only the trader the order is assigned to; another trader learns nothing, not even that it exists.
  if (actor.role !== 'trader' || !actor.traderId || order.assignment?.traderId !== actor.traderId) throw forbidden('Not your order');
  const payeeDetails = order.payee ? openPayee(deps.keys, order.tenantId, order.id, order.payee) : undefined;
  const requisiteDetails = order.direction === 'payin' ? await openPayTo(deps, order) : undefined;
  const audit = (view: string) => deps.audit?.({ ...orderDetailsReadEvent(order.tenantId, order.id, actor, view), ...(ip ? { ip } : {}) });
  if (payeeDetails) await audit('trader-payee');
  if (requisiteDetails) await audit('trader-requisite');
  return {
    ...toOrderView(order, 'trader'),
    ...(payeeDetails ? { payeeDetails } : {}),
    ...(requisiteDetails ? { requisiteDetails } : {}),
  };
}
