/** The review desk's ports: the KYC stores, the announcement senders and the media linker, built on first use. */
import type { ReviewDecisionDeps } from '../kyc/review/decide-review';
import type { MediaLinker } from '../privacy/media-links';
import { BLOB_CONTAINERS, COSMOS_CONTAINERS } from '../names';
import { blobContainer, blobService } from '../platform/blob';
import { cosmosContainer } from '../platform/cosmos';
import { serviceBus } from '../platform/service-bus';
import { appClock, kycStores } from './kyc';
import { lazy } from './lazy';
import { sendWebhook } from './webhooks';

/** Read-only links to KYC media (account-key SAS locally, user-delegation SAS through the managed identity on Azure). */
export const reviewMediaLinks: () => Promise<MediaLinker> = lazy(async () => {
  const { createMediaLinker } = await import('../privacy/media-links');
  return createMediaLinker(blobService(), await blobContainer(BLOB_CONTAINERS.kycMedia));
});

export const verificationsContainer = () => cosmosContainer(COSMOS_CONTAINERS.verifications);

export async function reviewDecisionDeps(): Promise<ReviewDecisionDeps> {
  const [{ verifications }, container] = await Promise.all([kycStores(), verificationsContainer()]);
  return {
    verifications,
    container,
    sender: serviceBus(),
    webhook: (input) => sendWebhook(input),
    clock: appClock,
  };
}
