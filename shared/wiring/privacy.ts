/**
 * The privacy lifecycle's ports, built from the platform clients on first use (the same
 * stores the KYC pipeline uses, so both see one `verifications` container).
 */
import { config } from '../config';
import { BLOB_CONTAINERS, COSMOS_CONTAINERS, FUNCTIONS } from '../names';
import { blobContainer, blobService } from '../platform/blob';
import { cosmosContainer } from '../platform/cosmos';
import { appClock, kycStores } from './kyc';
import { lazy } from './lazy';
import { SETTINGS, settingsStore } from './settings';
import type { ErasureOrchestrationClient, ErasureRedriveDeps } from '../privacy/erasure-redrive';
import { createErasureStore } from '../privacy/erasure-store';
import type { VerificationErasureDeps } from '../privacy/erase-verification';
import { createMediaLinker } from '../privacy/media-links';
import type { PrivacySettings } from '../privacy/privacy-settings';
import type { RetentionSweepDeps } from '../privacy/retention-sweep';
import type { SubjectExportDeps } from '../privacy/export-subject';
import type { SubjectErasureDeps } from '../privacy/subject-erasure';
import { paymentDataKeys } from './orders';

export const privacySettings = async (): Promise<PrivacySettings> => (await settingsStore()).get(SETTINGS.privacy);

const containers = lazy(async () => ({
  verifications: await cosmosContainer(COSMOS_CONTAINERS.verifications),
  idempotency: await cosmosContainer(COSMOS_CONTAINERS.idempotency),
  orders: await cosmosContainer(COSMOS_CONTAINERS.orders),
  erasures: createErasureStore(await cosmosContainer(COSMOS_CONTAINERS.erasures)),
  media: await blobContainer(BLOB_CONTAINERS.kycMedia),
  receipts: await blobContainer(BLOB_CONTAINERS.receipts),
}));

/** Settings are re-read per call, so a changed tombstone lifetime applies without a restart. */
export async function verificationErasureDeps(): Promise<VerificationErasureDeps> {
  const [{ verifications }, c, settings] = await Promise.all([kycStores(), containers(), privacySettings()]);
  return {
    verifications,
    media: c.media,
    idempotency: c.idempotency,
    clock: appClock,
    tombstoneDays: settings.tombstoneDays,
    // Earlier versions exist only where versioning is on; deleting them then needs the
    // deleteBlobVersion data action (Storage Blob Data Owner), and failing loudly is right.
    blobVersions: true,
  };
}

export async function retentionSweepDeps(): Promise<RetentionSweepDeps> {
  const [base, c] = await Promise.all([verificationErasureDeps(), containers()]);
  return { ...base, verificationsContainer: c.verifications };
}

export async function subjectErasureDeps(): Promise<SubjectErasureDeps> {
  const [base, c] = await Promise.all([verificationErasureDeps(), containers()]);
  return { ...base, erasures: c.erasures, orders: c.orders, receipts: c.receipts, hashKey: config().API_KEY_PEPPER };
}

export async function subjectExportDeps(): Promise<SubjectExportDeps> {
  const [{ verifications }, c] = await Promise.all([kycStores(), containers()]);
  return {
    verifications,
    media: c.media,
    orders: c.orders,
    receipts: c.receipts,
    links: createMediaLinker(blobService(), c.media),
    receiptLinks: createMediaLinker(blobService(), c.receipts),
    clock: appClock,
    keys: paymentDataKeys(),
  };
}

/** The re-drive of lost subject erasures, starting `subjectErasure` through `client`. */
export async function erasureRedriveDeps(client: ErasureOrchestrationClient): Promise<ErasureRedriveDeps> {
  const c = await containers();
  return { erasures: c.erasures, client, clock: appClock, orchestration: FUNCTIONS.subjectErasure };
}
