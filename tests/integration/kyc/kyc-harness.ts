/** Real Azurite + Cosmos wiring of the KYC core for the integration tests, with recording ports where Azure has no local twin. */
import { Readable } from 'node:stream';
import type { Container } from '@azure/cosmos';
import type { ContainerClient } from '@azure/storage-blob';
import type { QueueName } from '../../../shared/names';
import { ManualClock } from '../../../shared/platform/clock';
import type { MessageSender, OutgoingMessage, QueueDepth } from '../../../shared/platform/messaging';
import { createAzureBlobStore, type BlobStore } from '../../../shared/kyc/blob-store';
import { createVerificationApi, type VerificationApi } from '../../../shared/kyc/create-verification';
import type { Evidence } from '../../../shared/kyc/evidence';
import { createIdempotencyStore } from '../../../shared/kyc/idempotency-store';
import { parseKycSettings, type KycSettings } from '../../../shared/kyc/kyc-settings';
import { ffmpegFrameExtractor, sharpImageNormaliser } from '../../../shared/kyc/media-ports';
import type { CompletionWebhook, PipelineDeps, SelfieImages } from '../../../shared/kyc/pipeline-ports';
import { createVerificationStore, type VerificationStore } from '../../../shared/kyc/verification-store';
import { suffix, type LocalServices } from './local-services';

/** Service Bus stand-in: records sends and drops a repeated message id, as duplicate detection does. */
export class RecordingSender implements MessageSender {
  readonly sent: Array<{ queue: QueueName; message: OutgoingMessage }> = [];
  attempts = 0;
  async send(queue: QueueName, message: OutgoingMessage): Promise<void> {
    this.attempts++;
    if (this.sent.some((s) => s.queue === queue && s.message.messageId === message.messageId)) return;
    this.sent.push({ queue, message: JSON.parse(JSON.stringify(message)) as OutgoingMessage });
  }
  on(queue: QueueName) {
    return this.sent.filter((s) => s.queue === queue).map((s) => s.message);
  }
}

export const goodEvidence = (kind: 'photo' | 'video'): Evidence => ({
  provider: 'local',
  document: { faceCount: 1, detectionScore: 0.99, quality: 'high', faceSizePx: 200 },
  selfie: {
    kind,
    best: { faceCount: 1, detectionScore: 0.99, quality: 'high', faceSizePx: 200 },
    frames: kind === 'photo' ? 1 : 5,
    framesWithOneFace: kind === 'photo' ? 1 : 5,
    maxFacesInFrame: 1,
  },
  similarity: 0.8,
  liveness: { score: 0.9, method: kind === 'photo' ? 'passive-antispoof' : 'video-frames', signals: {} },
});

export interface Harness {
  container: ContainerClient;
  blobs: BlobStore;
  verifications: VerificationStore;
  verificationsContainer: Container;
  idempotencyContainer: Container;
  api: VerificationApi;
  /** Every verification id the API generated, in order. */
  ids: string[];
  sender: RecordingSender;
  depth: { frames: number; faces: number };
  clock: ManualClock;
  settings: KycSettings;
  evidenceCalls: SelfieImages[];
  webhooks: Array<Parameters<CompletionWebhook>[0]>;
  pipeline: PipelineDeps;
  tenantId: string;
  blobNames(prefix: string): Promise<string[]>;
}

export async function harness(services: LocalServices, over: Partial<KycSettings> = {}): Promise<Harness> {
  const container = await services.blobContainer();
  const blobs = createAzureBlobStore(container);
  const verificationsContainer = await services.cosmosContainer('verifications');
  const verifications = createVerificationStore(verificationsContainer);
  const idempotencyContainer = await services.cosmosContainer('idempotency');
  const idempotency = createIdempotencyStore(idempotencyContainer);
  const ids: string[] = [];
  const newId = () => {
    const id = `v${suffix()}`;
    ids.push(id);
    return id;
  };
  const sender = new RecordingSender();
  const depth = { frames: 0, faces: 0 };
  const queueDepth: QueueDepth = { activeMessageCount: async (q) => (q === 'frames' ? depth.frames : q === 'faces' ? depth.faces : 0) };
  const clock = new ManualClock(new Date('2026-11-23T12:00:00.000Z'));
  const settings = parseKycSettings({ backlogLimit: 10, ...over });
  const evidenceCalls: SelfieImages[] = [];
  const webhooks: Harness['webhooks'] = [];
  const api = createVerificationApi({ verifications, idempotency, blobs, queueDepth, settings, clock, newId });
  const pipeline: PipelineDeps = {
    verifications,
    blobs,
    sender,
    settings,
    clock,
    extractFrames: ffmpegFrameExtractor,
    normaliseImage: sharpImageNormaliser,
    collectEvidence: async ({ selfie }) => {
      evidenceCalls.push(selfie);
      return goodEvidence(selfie.kind);
    },
    webhook: async (input) => {
      webhooks.push(input);
    },
  };
  return {
    container,
    blobs,
    verifications,
    verificationsContainer,
    idempotencyContainer,
    api,
    ids,
    sender,
    depth,
    clock,
    settings,
    evidenceCalls,
    webhooks,
    pipeline,
    tenantId: `t${suffix()}`,
    async blobNames(prefix) {
      const names: string[] = [];
      for await (const b of container.listBlobsFlat({ prefix })) names.push(b.name);
      return names.sort();
    },
  };
}

/** The create input from a `Request`, as the HTTP function would pass it. */
export const createInput = (tenantId: string, request: Request, idempotencyKey?: string) => ({
  tenantId,
  contentType: request.headers.get('content-type'),
  contentLength: Number(request.headers.get('content-length')) || null,
  body: request.body ? Readable.fromWeb(request.body as import('node:stream/web').ReadableStream<Uint8Array>) : null,
  ...(idempotencyKey === undefined ? {} : { idempotencyKey }),
});
