/**
 * A confirmation that may carry a receipt: check the transition first (so a
 * 403/409 stores nothing), read the body (streaming the receipt to Blob
 * Storage), then write the status and the receipt record in one ETag-conditional
 * write of the order. If that write fails (a concurrent action won), the blob
 * is deleted again. Without a receipt it is the engine's ordinary action.
 */
import type { BlobStore } from '../kyc/blob-store';
import type { OrderDeps } from './deps';
import type { OrderDoc, OrderReceipt } from './documents';
import { finalizeOrder } from './finalize';
import { applyOrderAction } from './order-actions';
import { getOrder, transitionOrder } from './order-transition';
import { receiptRequired, type ReceivedConfirmation } from './receipts';
import type { Actor, OrderAction } from './schemas';
import { nextStatus } from './transitions';

export interface ReceiptConfirmation {
  actor: Actor;
  tenantId: string;
  orderId: string;
  /** Which action this confirmation is for this order (the caller picks it from the direction). */
  action: (order: OrderDoc) => OrderAction;
  /** Must the request carry a receipt for this order (pay-outs confirmed by their trader)? */
  receiptRequired: (order: OrderDoc) => boolean;
  /** Reads the body; called only once the transition is known to be allowed. */
  read: (order: OrderDoc) => Promise<ReceivedConfirmation>;
}

export async function confirmWithReceipt(deps: OrderDeps, blobs: Pick<BlobStore, 'delete'>, request: ReceiptConfirmation): Promise<OrderDoc> {
  const { actor, tenantId, orderId } = request;
  const current = await getOrder(deps, tenantId, orderId);
  const action = request.action(current);
  nextStatus({ ...current, traderId: current.assignment?.traderId, teamLeadId: current.assignment?.teamLeadId }, action, actor);
  const { receipt, reason } = await request.read(current);
  if (!receipt) {
    if (request.receiptRequired(current)) throw receiptRequired();
    return applyOrderAction(deps, actor, tenantId, orderId, { action, ...(reason === undefined ? {} : { reason }) });
  }
  const record: OrderReceipt = { ...receipt, action, by: actor.id, role: actor.role, uploadedAt: deps.clock.now().toISOString() };
  try {
    await transitionOrder(deps, tenantId, orderId, action, actor, (order) => ({ receipts: [...(order.receipts ?? []), record] }), reason, current);
  } catch (error) {
    await blobs.delete(receipt.blobName).catch(() => undefined);
    throw error;
  }
  return finalizeOrder(deps, tenantId, orderId);
}
