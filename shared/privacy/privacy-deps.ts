/**
 * The privacy lifecycle's ports, built from the platform clients on first use (the same
 * stores the KYC pipeline uses, so both see one `verifications` container).
 */
import { config } from '../config';
import { BLOB_CONTAINERS, COSMOS_CONTAINERS } from '../names';
import { blobContainer, blobService } from '../platform/blob';
import { cosmosContainer } from '../platform/cosmos';
import { appClock, kycStores } from '../wiring/kyc';
import { lazy } from '../wiring/lazy';
import { SETTINGS, settingsStore } from '../wiring/settings';
import { createErasureStore } from './erasure-store';
import type { VerificationErasureDeps } from './erase-verification';
import { createMediaLinker } from './media-links';
import type { PrivacySettings } from './privacy-settings';
import type { RetentionSweepDeps } from './retention-sweep';
import type { SubjectExportDeps } from './export-subject';
import type { SubjectErasureDeps } from './subject-erasure';

export const privacySettings = async (): Promise<PrivacySettings> => (await settingsStore()).get(SETTINGS.privacy);

const containers = lazy(async () => ({
  verifications: await cosmosContainer(COSMOS_CONTAINERS.verifications),
  idempotency: await cosmosContainer(COSMOS_CONTAINERS.idempotency),
  orders: await cosmosContainer(COSMOS_CONTAINERS.orders),
  erasures: createErasureStore(await cosmosContainer(COSMOS_CONTAINERS.erasures)),
  media: await blobContainer(BLOB_CONTAINERS.kycMedia),
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
  return { ...base, erasures: c.erasures, orders: c.orders, hashKey: config().API_KEY_PEPPER };
}

export async function subjectExportDeps(): Promise<SubjectExportDeps> {
  const [{ verifications }, c] = await Promise.all([kycStores(), containers()]);
  return { verifications, media: c.media, orders: c.orders, links: createMediaLinker(blobService(), c.media), clock: appClock };
}
