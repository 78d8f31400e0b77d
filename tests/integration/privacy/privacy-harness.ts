/** Real Azurite + Cosmos wiring of the KYC core and the privacy code, with a moveable clock. */
import type { Container } from '@azure/cosmos';
import type { ContainerClient } from '@azure/storage-blob';
import type { VerificationApi } from '../../../shared/kyc/create-verification';
import type { PipelineDeps } from '../../../shared/kyc/pipeline-ports';
import type { VerificationStore } from '../../../shared/kyc/verification-store';
import type { ManualClock } from '../../../shared/platform/clock';
import { createErasureStore } from '../../../shared/privacy/erasure-store';
import type { VerificationErasureDeps } from '../../../shared/privacy/erase-verification';
import type { RetentionSweepDeps } from '../../../shared/privacy/retention-sweep';
import type { SubjectErasureDeps } from '../../../shared/privacy/subject-erasure';
import { createInput, harness, type RecordingSender } from '../kyc/kyc-harness';
import { formRequest, jpeg, png, realMp4 } from '../kyc/multipart-bodies';
import type { LocalServices } from '../kyc/local-services';

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

/** The KYC harness (tests/integration/kyc/kyc-harness.ts) plus the orders, erasures and receipts the privacy code touches. */
export async function privacyHarness(services: LocalServices): Promise<PrivacyHarness> {
  const kyc = await harness(services);
  const receipts = await services.blobContainer();
  const orders = await services.cosmosContainer('orders');
  const erasures = createErasureStore(await services.cosmosContainer('erasures'));
  const erasure: VerificationErasureDeps = {
    verifications: kyc.verifications,
    media: kyc.container,
    idempotency: kyc.idempotencyContainer,
    clock: kyc.clock,
    tombstoneDays: 30,
  };
  const post = async (parts: Parameters<typeof formRequest>[0], key?: string) =>
    (await kyc.api.create(createInput(kyc.tenantId, await formRequest(parts), key))).id;
  return {
    tenantId: kyc.tenantId,
    clock: kyc.clock,
    media: kyc.container,
    receipts,
    verifications: kyc.verifications,
    verificationsContainer: kyc.verificationsContainer,
    idempotencyContainer: kyc.idempotencyContainer,
    orders,
    api: kyc.api,
    pipeline: kyc.pipeline,
    sender: kyc.sender,
    erasure,
    sweep: { ...erasure, verificationsContainer: kyc.verificationsContainer },
    subject: { ...erasure, erasures, orders, receipts, hashKey: 'test-hash-key-0000000000000000' },
    postPhoto: async (subjectRef, key) =>
      post([{ name: 'document', file: await jpeg() }, { name: 'selfie', file: await png() }, { name: 'subjectRef', value: subjectRef }], key),
    postVideo: async (subjectRef) =>
      post([{ name: 'document', file: await jpeg(320, 240) }, { name: 'selfieVideo', file: realMp4() }, { name: 'subjectRef', value: subjectRef }]),
    blobNames: kyc.blobNames,
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
