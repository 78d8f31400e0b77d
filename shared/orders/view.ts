/** What a client sees of an order: decimal strings, no internal bookkeeping, no other party's data. */
import { formatAmount } from '../money';
import type { OrderDoc } from './documents';
import type { Role } from './schemas';

export interface OrderView {
  id: string;
  direction: OrderDoc['direction'];
  status: OrderDoc['status'];
  amount: string;
  currency: string;
  method: string;
  customerRef?: string;
  /** The merchant's store the order belongs to (not shown to traders). */
  storeId?: string;
  createdAt: string;
  updatedAt: string;
  expiresAt: string;
  failureReason?: string;
  /** Where the payer sends the money (pay-in) or which trader pays (pay-out). */
  requisite?: { method: string; bankId: string; displayNumber: string; holderName: string };
  /** Pay-out: whom the trader pays, masked (the full details only in the assigned trader's order view). */
  payee?: { kind: string; displayNumber: string };
  /** Merchant's fee on this order. */
  fee?: string;
  /** Receipts sent with confirmations (blob names in the `receipts` container). */
  receipts?: { blobName: string; contentType: string; sizeBytes: number; action: string; role: string; uploadedAt: string }[];
  /** Support/admin only: which trader the order is assigned to. */
  traderId?: string;
  /** Support/admin only: the merchant tenant. */
  tenantId?: string;
}

export function toOrderView(order: OrderDoc, role: Role): OrderView {
  const money = (minor: number) => formatAmount({ currency: order.currency, minor });
  const a = order.assignment;
  return {
    id: order.id,
    direction: order.direction,
    status: order.status,
    amount: money(order.amountMinor),
    currency: order.currency,
    method: order.method,
    // Traders never see the merchant's customer reference.
    ...(role === 'trader' || role === 'teamlead' ? {} : { customerRef: order.customerRef, storeId: order.storeId }),
    createdAt: order.createdAt,
    updatedAt: order.updatedAt,
    expiresAt: order.expiresAt,
    ...(order.failureReason ? { failureReason: order.failureReason } : {}),
    ...(a ? { requisite: { method: a.method, bankId: a.bankId, displayNumber: a.displayNumber, holderName: a.holderName } } : {}),
    ...(order.payee ? { payee: { kind: order.payee.kind, displayNumber: order.payee.displayNumber } } : {}),
    ...(order.quote && role !== 'trader' && role !== 'teamlead' ? { fee: money(order.quote.storeCommissionMinor) } : {}),
    ...(order.receipts?.length
      ? { receipts: order.receipts.map((r) => ({ blobName: r.blobName, contentType: r.contentType, sizeBytes: r.sizeBytes, action: r.action, role: r.role, uploadedAt: r.uploadedAt })) }
      : {}),
    ...(role === 'support' || role === 'admin' ? { tenantId: order.tenantId, ...(a ? { traderId: a.traderId } : {}) } : {}),
  };
}
