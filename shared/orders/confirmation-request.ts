/**
 * The body of a confirmation request as the HTTP functions receive it: either
 * multipart/form-data (a `receipt` file and an optional `reason`), JSON
 * `{ "reason"? }`, or nothing at all.
 */
import type { Principal } from '../auth/principal';
import type { ApiCall } from '../http';
import type { BlobStore } from '../kyc/blob-store';
import type { OrderDoc } from './documents';
import { isMultipart, RECEIPT_ENVELOPE_BYTES, RECEIPT_MAX_BYTES, receiveReceipt, type ReceivedConfirmation } from './receipts';
import { reasonBodySchema } from './staff-requests';

/** Request size limit of endpoints that take a receipt. */
export const CONFIRMATION_MAX_BODY_BYTES = RECEIPT_MAX_BYTES + RECEIPT_ENVELOPE_BYTES;

/** `call` may be anonymous: the payer gateway confirms with the link token alone. */
export async function readConfirmationBody(
  call: Pick<ApiCall<Principal | null>, 'request' | 'bytes' | 'body'>,
  order: OrderDoc,
  blobs: () => Promise<BlobStore>,
  /** The file part's name: `receipt`, or `evidence` for a dispute. */
  fileField: 'receipt' | 'evidence' = 'receipt',
): Promise<ReceivedConfirmation> {
  const contentType = call.request.headers.get('content-type');
  if (isMultipart(contentType)) {
    const length = call.request.headers.get('content-length');
    return receiveReceipt(
      { tenantId: order.tenantId, orderId: order.id, contentType, contentLength: length === null ? null : Number(length), body: call.request.body, fileField },
      { blobs: await blobs() },
    );
  }
  if ((await call.bytes()).length === 0) return {};
  const { reason } = await call.body(reasonBodySchema);
  return reason === undefined ? {} : { reason };
}
