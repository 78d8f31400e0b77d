/**
 * The local runtime's own latency (issue 12), on a private Azurite, with floors measured in the same run:
 * - 20 concurrent orchestrations with one 1 s activity each: wall time from the 20 starts to the last
 *   completion (after one warm-up orchestration, as the orders bench warms up); floor: 20 concurrent 1 s sleeps.
 * - Blob trigger pickup: upload done → handler start, p50 of sequential uploads; floor: one blob
 *   listing (what each poll of the container costs).
 * - Service Bus pickup: send done (from this process) → handler start; floor: one Azurite queue receive.
 * - Storage queue pickup (from another client, so found by polling): send done → handler start.
 */
import path from 'node:path';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { randomUUID } from 'node:crypto';
import { BlobServiceClient } from '@azure/storage-blob';
import { QueueServiceClient } from '@azure/storage-queue';
import { startHost } from '../runtime/index';
import { memoryHostLog } from '../runtime/host-log';
import { LocalBroker } from '../runtime/service-bus/local-broker';
import { startAzurite } from '../runtime/storage/azurite';
import { freePorts } from '../runtime/storage/free-ports';
import { percentile, round } from './stats';

const ORCHESTRATIONS = 20;
const PICKUPS = 20;

const pickedUp = (): Map<string, number> => ((globalThis as { __runtimeBench?: Map<string, number> }).__runtimeBench ??= new Map());

async function until(check: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('not picked up in time');
    await new Promise((resolve) => setImmediate(resolve));
  }
}

async function timed(work: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await work();
  return performance.now() - started;
}

/** Pickup: from the write having landed (`send` resolved) to the handler starting on it. */
async function pickupLatencies(prefix: string, send: (key: string) => Promise<unknown>): Promise<number[]> {
  const latencies: number[] = [];
  for (let i = 0; i < PICKUPS; i++) {
    const key = `${i}-${randomUUID().slice(0, 8)}`;
    await send(key);
    const started = performance.now();
    await until(() => pickedUp().has(`${prefix}:${key}`));
    // A wake-up can start the handler before `send` returned to us: that pickup took no time.
    latencies.push(Math.max(0, (pickedUp().get(`${prefix}:${key}`) ?? 0) - started));
    await new Promise((resolve) => setTimeout(resolve, 50 + Math.random() * 150)); // land at random points of the poll cycle
  }
  return latencies;
}

export async function run(): Promise<Record<string, number | string>> {
  const location = mkdtempSync(path.join(tmpdir(), 'vouch-bench-runtime-'));
  const azurite = await startAzurite({ blobPort: await freePorts(3), location });
  const names = { BENCH_CONTAINER: `bench-${randomUUID().slice(0, 8)}`, BENCH_QUEUE: `bench-${randomUUID().slice(0, 8)}`, BENCH_SB: `bench-sb-${randomUUID().slice(0, 8)}` };
  const appDir = mkdtempSync(path.join(tmpdir(), 'vouch-bench-app-'));
  const host = await startHost({
    appDir, main: path.join(__dirname, 'runtime-app.js'), port: 0, log: memoryHostLog(),
    settings: { AzureWebJobsStorage: azurite.connectionString, ...names },
  });
  try {
    const api = `${host.origin}/runtime/webhooks/durabletask`;
    const status = async (id: string): Promise<string> => ((await (await fetch(`${api}/instances/${id}`)).json()) as { runtimeStatus: string }).runtimeStatus;
    const completed = async (ids: string[]): Promise<number> => {
      const listed = (await (await fetch(`${api}/instances?runtimeStatus=Completed&showInput=false`)).json()) as { instanceId: string }[];
      return listed.filter((instance) => ids.includes(instance.instanceId)).length;
    };
    // One orchestration first, so start-up work (tables, first invocations) is not counted as the 20's.
    const warmId = `bench-warm-${randomUUID().slice(0, 8)}`;
    await fetch(`${api}/orchestrators/benchOneActivity/${warmId}`, { method: 'POST', body: '' });
    while ((await status(warmId)) !== 'Completed') await new Promise((r) => setTimeout(r, 20));
    const floorSleepMs = await timed(() => Promise.all(Array.from({ length: ORCHESTRATIONS }, () => new Promise((r) => setTimeout(r, 1000)))));
    const ids = Array.from({ length: ORCHESTRATIONS }, (_, i) => `bench-${i}-${randomUUID().slice(0, 8)}`);
    const durableMs = await timed(async () => {
      await Promise.all(ids.map((id) => fetch(`${api}/orchestrators/benchOneActivity/${id}`, { method: 'POST', body: '' })));
      // One listing per poll sees all 20 (20 sequential status calls would add their own round trips to the wall time).
      while ((await completed(ids)) < ids.length) await new Promise((r) => setTimeout(r, 20));
    });

    const blobs = BlobServiceClient.fromConnectionString(azurite.connectionString).getContainerClient(names.BENCH_CONTAINER);
    await blobs.createIfNotExists();
    await new Promise((r) => setTimeout(r, 500)); // the watcher sees the new container
    const blobPickup = await pickupLatencies('blob', (key) => blobs.getBlockBlobClient(key).upload('x', 1));
    const listFloor: number[] = [];
    for (let i = 0; i < PICKUPS; i++) listFloor.push(await timed(async () => { for await (const _ of blobs.listBlobsFlat()) void _; }));

    const broker = new LocalBroker(azurite.connectionString);
    const sbPickup = await pickupLatencies('sb', (key) => broker.send(names.BENCH_SB, { messageId: key, body: { id: key } }));
    const rawQueue = QueueServiceClient.fromConnectionString(azurite.connectionString).getQueueClient(`floor-${randomUUID().slice(0, 8)}`);
    await rawQueue.createIfNotExists();
    const receiveFloor: number[] = [];
    for (let i = 0; i < PICKUPS; i++) receiveFloor.push(await timed(() => rawQueue.receiveMessages({ numberOfMessages: 1 })));

    const queue = QueueServiceClient.fromConnectionString(azurite.connectionString).getQueueClient(names.BENCH_QUEUE);
    const queuePickup = await pickupLatencies('queue', (key) => queue.sendMessage(Buffer.from(key).toString('base64')));

    return {
      orchestrations20x1sActivity_wallMs: round(durableMs),
      orchestrations20x1sActivity_floorConcurrentSleepsMs: round(floorSleepMs),
      blobTriggerPickupMs_p50: round(percentile(blobPickup, 50)),
      blobTriggerPickupMs_p95: round(percentile(blobPickup, 95)),
      blobTriggerFloorListMs_p50: round(percentile(listFloor, 50), 1),
      serviceBusPickupMs_p50: round(percentile(sbPickup, 50), 1),
      serviceBusPickupMs_p95: round(percentile(sbPickup, 95), 1),
      serviceBusFloorQueueReceiveMs_p50: round(percentile(receiveFloor, 50), 1),
      storageQueuePickupFromOtherClientMs_p50: round(percentile(queuePickup, 50)),
      storageQueuePickupFromOtherClientMs_p95: round(percentile(queuePickup, 95)),
      note: 'Service Bus sends from the host process wake the listener at once; blob and other-process queue writes are found by polling',
    };
  } finally {
    await host.stop();
    await azurite.stop();
    rmSync(location, { recursive: true, force: true });
    rmSync(appDir, { recursive: true, force: true });
  }
}
