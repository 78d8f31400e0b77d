/**
 * Privacy figures: erasing a verification with a 50 MB selfie video and its frames, against
 * real Azurite and the Cosmos-protocol server, in the local runtime's process.
 * - eraseVideoVerificationMs: `eraseVerification` (tombstone, prefix delete, claims), what the
 *   orchestration's activity runs; floor: bare list + delete of the same blobs with
 *   @azure/storage-blob at the same concurrency, nothing else.
 * - erasuresPerMinute: 12 such verifications erased 4 at a time, and the floor likewise.
 * - deleteToGoneMs: through HTTP and the durable orchestration, DELETE until GET answers 410.
 * Blobs are written directly to Azurite (no manifest, so the pipeline does not start).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { ContainerClient } from '@azure/storage-blob';
import { verificationPrefix } from '../shared/kyc/blob-names';
import { newVerificationRecord, type VerificationRecord } from '../shared/kyc/verification';
import { BLOB_CONTAINERS } from '../shared/names';
import { blobContainer } from '../shared/platform/blob';
import { eraseVerification } from '../shared/privacy/erase-verification';
import { verificationErasureDeps } from '../shared/wiring/privacy';
import { kycStores } from '../shared/wiring/kyc';
import { startE2eHost, type E2eHost } from '../tests/support/e2e-host';
import { percentile, round } from './stats';

const TENANT = 'demo-a';
const MB = 1024 * 1024;
const FRAMES = 5;
const SINGLE_RUNS = 5;
const THROUGHPUT_VERIFICATIONS = 12;
const CONCURRENCY = 4;
const FLOOR_CONCURRENCY = 8;

const video = randomBytes(50 * MB);
const document = randomBytes(1 * MB);
const frame = randomBytes(60 * 1024);

/** A verification as the pipeline leaves it: record plus document, 50 MB video and frames. */
async function seed(media: ContainerClient): Promise<string> {
  const id = randomUUID();
  const base = newVerificationRecord({ id, tenantId: TENANT, now: new Date(), mediaRetentionDays: 7, recordRetentionDays: 90 });
  const prefix = verificationPrefix(TENANT, id);
  const record: VerificationRecord = {
    ...base,
    status: 'approved',
    subjectRef: `bench-${id}`,
    media: {
      document: { blobName: `${prefix}document.jpg`, contentType: 'image/jpeg', sizeBytes: document.length },
      selfie: { blobName: `${prefix}selfie-video.mp4`, contentType: 'video/mp4', sizeBytes: video.length, kind: 'video' },
    },
    frames: Array.from({ length: FRAMES }, (_, i) => `${prefix}frames/0${i}.jpg`),
  };
  await (await kycStores()).verifications.create(record);
  await Promise.all([
    media.getBlockBlobClient(`${prefix}document.jpg`).uploadData(document),
    media.getBlockBlobClient(`${prefix}selfie-video.mp4`).uploadData(video),
    ...(record.frames ?? []).map((name) => media.getBlockBlobClient(name).uploadData(frame)),
  ]);
  return id;
}

/** The floor: list the prefix and delete what is there, nothing else. */
async function bareDelete(media: ContainerClient, id: string): Promise<void> {
  const names: string[] = [];
  for await (const b of media.listBlobsFlat({ prefix: verificationPrefix(TENANT, id) })) names.push(b.name);
  for (let i = 0; i < names.length; i += FLOOR_CONCURRENCY) {
    await Promise.all(names.slice(i, i + FLOOR_CONCURRENCY).map((n) => media.deleteBlob(n)));
  }
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await fn();
  return performance.now() - started;
}

async function perMinute(ids: string[], erase: (id: string) => Promise<unknown>): Promise<number> {
  const queue = [...ids];
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      for (let id = queue.shift(); id; id = queue.shift()) await erase(id);
    }),
  );
  return (ids.length / (performance.now() - started)) * 60_000;
}

async function deleteToGone(app: E2eHost, media: ContainerClient): Promise<number> {
  const id = await seed(media);
  const started = performance.now();
  const response = await app.call(`/api/v1/verifications/${id}`, { method: 'DELETE', apiKey: 'demo-a-key' });
  if (response.status !== 202) throw new Error(`DELETE answered ${response.status}`);
  for (;;) {
    if ((await app.call(`/api/v1/verifications/${id}`, { apiKey: 'demo-a-key' })).status === 410) break;
    if (performance.now() - started > 60_000) throw new Error('no 410 within a minute');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return performance.now() - started;
}

export async function run(): Promise<Record<string, number | string>> {
  const app = await startE2eHost();
  try {
    const media = await blobContainer(BLOB_CONTAINERS.kycMedia);
    const deps = await verificationErasureDeps();
    const erase = (id: string) => eraseVerification(deps, { tenantId: TENANT, verificationId: id }, 'request');

    const single: number[] = [];
    const floor: number[] = [];
    for (let i = 0; i < SINGLE_RUNS; i++) {
      const a = await seed(media);
      single.push(await timed(() => erase(a)));
      const b = await seed(media);
      floor.push(await timed(() => bareDelete(media, b)));
    }
    const batch = [];
    for (let i = 0; i < THROUGHPUT_VERIFICATIONS; i++) batch.push(await seed(media));
    const rate = await perMinute(batch, erase);
    const floorBatch = [];
    for (let i = 0; i < THROUGHPUT_VERIFICATIONS; i++) floorBatch.push(await seed(media));
    const floorRate = await perMinute(floorBatch, (id) => bareDelete(media, id));

    const viaRuntime: number[] = [];
    for (let i = 0; i < SINGLE_RUNS; i++) viaRuntime.push(await deleteToGone(app, media));

    return {
      blobsPerVerification: 2 + FRAMES,
      videoMB: 50,
      eraseVideoVerificationMs_p50: round(percentile(single, 50)),
      eraseVideoVerificationMs_max: round(Math.max(...single)),
      floorListDeleteMs_p50: round(percentile(floor, 50)),
      erasuresPerMinute: round(rate, 0),
      floorErasuresPerMinute: round(floorRate, 0),
      erasureConcurrency: CONCURRENCY,
      deleteToGoneMs_p50: round(percentile(viaRuntime, 50)),
      deleteToGoneMs_max: round(Math.max(...viaRuntime)),
    };
  } finally {
    await app.stop();
  }
}

if (require.main === module) {
  run().then((figures) => console.log(JSON.stringify(figures, null, 2)), (error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
