import type { Container } from '@azure/cosmos';
import type { ContainerClient } from '@azure/storage-blob';
import { verificationPrefix } from '../kyc/blob-names';
import { toApiView, type VerificationView } from '../kyc/verification';
import type { VerificationStore } from '../kyc/verification-store';
import type { KeyRing } from '../crypto/key-ring';
import type { OrderDoc } from '../orders/documents';
import { openPayee, type PayeeDetails } from '../orders/payment-details/payee';
import { toOrderView, type OrderView } from '../orders/view';
import type { Clock } from '../platform/clock';
import { orderReceiptPrefix } from './anonymise-orders';
import type { MediaLinker } from './media-links';

export interface SubjectExportDeps {
  verifications: VerificationStore;
  /** The `kyc-media` container. */
  media: ContainerClient;
  /** The `orders` container. */
  orders: Container;
  /** The `receipts` container. */
  receipts: ContainerClient;
  /** Links into `media`. */
  links: MediaLinker;
  /** Links into `receipts`. */
  receiptLinks: MediaLinker;
  clock: Clock;
  /** Opens the sealed payment details the subject gave (a pay-out's payee); decrypted for the export only. */
  keys: KeyRing;
}

/** One stored file of a verification or an order, as a link that expires. */
export interface ExportedMedia {
  /** Name inside the verification or order, e.g. `document.jpg`, `frames/00.jpg`, `receipt-{uuid}.pdf`. */
  name: string;
  contentType?: string;
  sizeBytes?: number;
  url: string;
  expiresAt: string;
}

/** GET /api/v1/privacy/exports: everything the tenant holds about one subject. */
export interface SubjectExport {
  subjectRef: string;
  generatedAt: string;
  verifications: Array<VerificationView & { media: ExportedMedia[] }>;
  /** The subject's orders, each with its payment receipt files as links. */
  orders: Array<OrderView & { receiptFiles: ExportedMedia[]; payeeDetails?: PayeeDetails }>;
}

/** Every blob under `prefix` as a link valid until `expiresOn`. */
async function linksUnder(container: ContainerClient, links: MediaLinker, prefix: string, expiresOn: Date): Promise<ExportedMedia[]> {
  const media: ExportedMedia[] = [];
  for await (const item of container.listBlobsFlat({ prefix })) {
    media.push({
      name: item.name.slice(prefix.length),
      ...(item.properties.contentType ? { contentType: item.properties.contentType } : {}),
      ...(item.properties.contentLength === undefined ? {} : { sizeBytes: item.properties.contentLength }),
      url: await links(item.name, expiresOn),
      expiresAt: expiresOn.toISOString(),
    });
  }
  return media;
}

/** The subject's verifications and orders in one tenant, their media and receipts as links valid `linkMinutes`. */
export async function exportSubjectData(
  deps: SubjectExportDeps,
  input: { tenantId: string; subjectRef: string; linkMinutes: number },
): Promise<SubjectExport> {
  const now = deps.clock.now();
  const expiresOn = new Date(now.getTime() + input.linkMinutes * 60_000);
  const records = await deps.verifications.findBySubjectRef(input.tenantId, input.subjectRef);
  const verifications = [];
  for (const r of records) {
    verifications.push({ ...toApiView(r), media: await linksUnder(deps.media, deps.links, verificationPrefix(input.tenantId, r.id), expiresOn) });
  }
  const { resources } = await deps.orders.items
    .query<OrderDoc>(
      {
        query: "SELECT * FROM c WHERE c.tenantId = @tenantId AND c.type = 'order' AND c.customerRef = @ref",
        parameters: [
          { name: '@tenantId', value: input.tenantId },
          { name: '@ref', value: input.subjectRef },
        ],
      },
      { partitionKey: input.tenantId },
    )
    .fetchAll();
  const orders = [];
  for (const o of resources) {
    const receiptFiles = await linksUnder(deps.receipts, deps.receiptLinks, orderReceiptPrefix(input.tenantId, o.id), expiresOn);
    // The subject's own payee details, in full: they are his data (the trader's requisite is not).
    const payeeDetails = o.payee ? openPayee(deps.keys, input.tenantId, o.id, o.payee) : undefined;
    orders.push({ ...toOrderView(o, 'merchant'), receiptFiles, ...(payeeDetails ? { payeeDetails } : {}) });
  }
  return { subjectRef: input.subjectRef, generatedAt: now.toISOString(), verifications, orders };
}
