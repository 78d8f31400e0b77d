/** Real Azurite + Cosmos wiring of the KYC core and the privacy code, with a moveable clock. */
import type { Container } from '@azure/cosmos';
import type { ContainerClient } from '@azure/storage-blob';
import { createAzureBlobStore } from '../../../shared/kyc/blob-store';
import { createVerificationApi, type VerificationApi } from '../../../shared/kyc/create-verification';
import { createIdempotencyStore } from '../../../shared/kyc/idempotency-store';
import { parseKycSettings } from '../../../shared/kyc/kyc-settings';
import { ffmpegFrameExtractor, sharpImageNormaliser } from '../../../shared/kyc/media-ports';
import type { PipelineDeps } from '../../../shared/kyc/pipeline-ports';
import { createVerificationStore, type VerificationStore } from '../../../shared/kyc/verification-store';
import { ManualClock } from '../../../shared/platform/clock';
import { createErasureStore } from '../../../shared/privacy/erasure-store';
import type { VerificationErasureDeps } from '../../../shared/privacy/erase-verification';
import type { RetentionSweepDeps } from '../../../shared/privacy/retention-sweep';
import type { SubjectErasureDeps } from '../../../shared/privacy/subject-erasure';
import { createInput, goodEvidence, RecordingSender } from '../kyc/kyc-harness';
import { formRequest, jpeg, png, realMp4 } from '../kyc/multipart-bodies';
import { suffix, type LocalServices } from '../kyc/local-services';

export const DAY_MS = 86_400_000;

export interface PrivacyHarness {
  tenantId: string;
  clock: ManualClock;
  media: ContainerClient;
  /** Stands in for the `receipts` container. */
  receipts: ContainerClient;
  verifications: VerificationStore;
  verificationsContainer: Container;
  idempotencyContainer: Container;
  orders: Container;
  api: VerificationApi;
  pipeline: PipelineDeps;
  sender: RecordingSender;
  erasure: VerificationErasureDeps;
  sweep: RetentionSweepDeps;
  subject: SubjectErasureDeps;
  /** POSTs a photo verification (document + selfie) for `subjectRef`; returns its id. */
  postPhoto(subjectRef: string, idempotencyKey?: string): Promise<string>;
  /** POSTs a video verification (document + real MP4 selfie video); returns its id. */
  postVideo(subjectRef: string): Promise<string>;
  blobNames(prefix: string): Promise<string[]>;
}

export async function privacyHarness(services: LocalServices): Promise<PrivacyHarness> {
  const media = await services.blobContainer();
  const receipts = await services.blobContainer();
  const blobs = createAzureBlobStore(media);
  const verificationsContainer = await services.cosmosContainer('verifications');
  const verifications = createVerificationStore(verificationsContainer);
  const idempotencyContainer = await services.cosmosContainer('idempotency');
  const orders = await services.cosmosContainer('orders');
  const erasures = createErasureStore(await services.cosmosContainer('erasures'));
  const clock = new ManualClock(new Date('2026-11-23T12:00:00.000Z'));
  const settings = parseKycSettings({ backlogLimit: 10 });
  const api = createVerificationApi({
    verifications,
    idempotency: createIdempotencyStore(idempotencyContainer),
    blobs,
    queueDepth: { activeMessageCount: async () => 0 },
    settings,
    clock,
    newId: () => `v${suffix()}`,
  });
  const sender = new RecordingSender();
  const pipeline: PipelineDeps = {
    verifications,
    blobs,
    sender,
    settings,
    clock,
    extractFrames: ffmpegFrameExtractor,
    normaliseImage: sharpImageNormaliser,
    collectEvidence: async ({ selfie }) => goodEvidence(selfie.kind),
  };
  const erasure: VerificationErasureDeps = { verifications, media, idempotency: idempotencyContainer, clock, tombstoneDays: 30 };
  const tenantId = `t${suffix()}`;
  const post = async (parts: Parameters<typeof formRequest>[0], key?: string) =>
    (await api.create(createInput(tenantId, await formRequest(parts), key))).id;
  return {
    tenantId,
    clock,
    media,
    receipts,
    verifications,
    verificationsContainer,
    idempotencyContainer,
    orders,
    api,
    pipeline,
    sender,
    erasure,
    sweep: { ...erasure, verificationsContainer },
    subject: { ...erasure, erasures, orders, receipts, hashKey: 'test-hash-key-0000000000000000' },
    postPhoto: async (subjectRef, key) =>
      post([{ name: 'document', file: await jpeg() }, { name: 'selfie', file: await png() }, { name: 'subjectRef', value: subjectRef }], key),
    postVideo: async (subjectRef) =>
      post([{ name: 'document', file: await jpeg(320, 240) }, { name: 'selfieVideo', file: realMp4() }, { name: 'subjectRef', value: subjectRef }]),
    async blobNames(prefix) {
      const names: string[] = [];
      for await (const b of media.listBlobsFlat({ prefix })) names.push(b.name);
      return names.sort();
    },
  };
}

/** Every document of `containers` whose JSON mentions `needle`. */
export async function documentsMentioning(containers: Container[], needle: string): Promise<unknown[]> {
  const found: unknown[] = [];
  for (const c of containers) {
    const { resources } = await c.items.query('SELECT * FROM c').fetchAll();
    found.push(...resources.filter((r) => JSON.stringify(r).includes(needle)));
  }
  return found;
}
