import type { Container } from '@azure/cosmos';
import type { ContainerClient } from '@azure/storage-blob';
import { eraseBlobPrefix } from './erase-blobs';

/** What an anonymised order's `customerRef` becomes: no trace of the subject, still a valid reference. */
export const ERASED_CUSTOMER_REF = 'erased';

export interface OrderAnonymisation {
  /** Orders whose `customerRef` was replaced. */
  orders: number;
  /** Fraud velocity counters keyed by the customer (their id contains the ref: deleted, not patched). */
  velocityCounters: number;
  /** Receipt blobs deleted from the `receipts` container (under each order's `{tenantId}/{orderId}/`). */
  receiptBlobs: number;
}

/** Where an order's receipts live. */
export interface OrderAnonymisationDeps {
  /** The `orders` container. */
  orders: Container;
  /** The `receipts` container. */
  receipts: ContainerClient;
  /** Delete earlier blob versions too (accounts with versioning on). */
  blobVersions?: boolean;
}

/** Blob prefix of one order's receipts (shared/orders/receipts.ts `receiptBlobName`). */
export const orderReceiptPrefix = (tenantId: string, orderId: string): string => `${tenantId}/${orderId}/`;

const codeOf = (e: unknown) => (typeof e === 'object' && e !== null ? (e as { code?: unknown }).code : undefined);

/**
 * Removes a merchant customer's personal data from the `orders` container of one tenant: each
 * order's `customerRef` is patched, and so are the requisite holder name and account number the
 * order showed that customer (`assignment`); amounts, ids, statuses and ledger references stay, so
 * the ledger still reconciles. The order's payment receipts (blobs, and the `receipts` list naming
 * them) are deleted. The customer's velocity counters are deleted. A patch touches only those
 * fields, so it cannot lose a concurrent status change; a second run finds nothing. The requisite
 * documents themselves are the trader's and stay.
 */
export async function anonymiseOrders(deps: OrderAnonymisationDeps, tenantId: string, customerRef: string): Promise<OrderAnonymisation> {
  const { orders } = deps;
  const { resources: matching } = await orders.items
    .query<{ id: string; assignment?: { sealedNumber?: unknown }; receipts?: unknown; payee?: unknown }>(
      {
        query: "SELECT c.id, c.assignment, c.receipts, c.payee FROM c WHERE c.tenantId = @tenantId AND c.type = 'order' AND c.customerRef = @ref",
        parameters: [
          { name: '@tenantId', value: tenantId },
          { name: '@ref', value: customerRef },
        ],
      },
      { partitionKey: tenantId },
    )
    .fetchAll();
  let anonymised = 0;
  let receiptBlobs = 0;
  for (const { id, assignment, receipts, payee } of matching) {
    // Blobs before the patch: the patch makes the order unfindable by customerRef, so a run that
    // crashed in between finds the order again and finishes; deleting twice is harmless.
    receiptBlobs += await eraseBlobPrefix(deps.receipts, orderReceiptPrefix(tenantId, id), { versions: deps.blobVersions === true });
    const receiptList = receipts === undefined ? [] : [{ op: 'remove' as const, path: '/receipts' }];
    const requisiteCopy = assignment
      ? [
          { op: 'set' as const, path: '/assignment/holderName', value: ERASED_CUSTOMER_REF },
          { op: 'set' as const, path: '/assignment/displayNumber', value: ERASED_CUSTOMER_REF },
          // The sealed full number shown to this payer goes too (the requisite keeps the trader's own copy).
          ...(assignment.sealedNumber === undefined ? [] : [{ op: 'remove' as const, path: '/assignment/sealedNumber' }]),
        ]
      : [];
    // A pay-out's payee is the subject's own account: sealed copy and mask both go.
    const payeeFields = payee === undefined ? [] : [{ op: 'remove' as const, path: '/payee' }];
    try {
      await orders.item(id, tenantId).patch([{ op: 'set', path: '/customerRef', value: ERASED_CUSTOMER_REF }, ...requisiteCopy, ...payeeFields, ...receiptList]);
      anonymised++;
    } catch (e) {
      if (codeOf(e) !== 404) throw e;
    }
  }
  const { resources: counters } = await orders.items
    .query<{ id: string }>(
      {
        query: "SELECT c.id FROM c WHERE c.tenantId = @tenantId AND c.type = 'velocity' AND c.key = @ref",
        parameters: [
          { name: '@tenantId', value: tenantId },
          { name: '@ref', value: customerRef },
        ],
      },
      { partitionKey: tenantId },
    )
    .fetchAll();
  let deleted = 0;
  for (const { id } of counters) {
    try {
      await orders.item(id, tenantId).delete();
      deleted++;
    } catch (e) {
      if (codeOf(e) !== 404) throw e;
    }
  }
  return { orders: anonymised, velocityCounters: deleted, receiptBlobs };
}
