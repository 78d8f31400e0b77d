import type { Container } from '@azure/cosmos';
import type { ContainerClient } from '@azure/storage-blob';
import { verificationPrefix } from '../kyc/blob-names';
import { toApiView, type VerificationView } from '../kyc/verification';
import type { VerificationStore } from '../kyc/verification-store';
import type { OrderDoc } from '../orders/documents';
import { toOrderView, type OrderView } from '../orders/view';
import type { Clock } from '../platform/clock';
import type { MediaLinker } from './media-links';

export interface SubjectExportDeps {
  verifications: VerificationStore;
  /** The `kyc-media` container. */
  media: ContainerClient;
  /** The `orders` container. */
  orders: Container;
  links: MediaLinker;
  clock: Clock;
}

/** One stored file of a verification, as a link that expires. */
export interface ExportedMedia {
  /** Name inside the verification, e.g. `document.jpg`, `frames/00.jpg`. */
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
  orders: OrderView[];
}

async function mediaOf(deps: SubjectExportDeps, tenantId: string, verificationId: string, expiresOn: Date): Promise<ExportedMedia[]> {
  const prefix = verificationPrefix(tenantId, verificationId);
  const media: ExportedMedia[] = [];
  for await (const item of deps.media.listBlobsFlat({ prefix })) {
    media.push({
      name: item.name.slice(prefix.length),
      ...(item.properties.contentType ? { contentType: item.properties.contentType } : {}),
      ...(item.properties.contentLength === undefined ? {} : { sizeBytes: item.properties.contentLength }),
      url: await deps.links(item.name, expiresOn),
      expiresAt: expiresOn.toISOString(),
    });
  }
  return media;
}

/** The subject's verifications (with media links valid `linkMinutes`) and orders in one tenant. */
export async function exportSubjectData(
  deps: SubjectExportDeps,
  input: { tenantId: string; subjectRef: string; linkMinutes: number },
): Promise<SubjectExport> {
  const now = deps.clock.now();
  const expiresOn = new Date(now.getTime() + input.linkMinutes * 60_000);
  const records = await deps.verifications.findBySubjectRef(input.tenantId, input.subjectRef);
  const verifications = [];
  for (const r of records) verifications.push({ ...toApiView(r), media: await mediaOf(deps, input.tenantId, r.id, expiresOn) });
  const { resources } = await deps.orders.items
    .query<OrderDoc>(
      { query: "SELECT * FROM c WHERE c.type = 'order' AND c.customerRef = @ref", parameters: [{ name: '@ref', value: input.subjectRef }] },
      { partitionKey: input.tenantId },
    )
    .fetchAll();
  return {
    subjectRef: input.subjectRef,
    generatedAt: now.toISOString(),
    verifications,
    orders: resources.map((o) => toOrderView(o, 'merchant')),
  };
}
