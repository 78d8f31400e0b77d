/**
 * KYC pipeline through the real local runtime, in this process (as the e2e tests run it), with the
 * real face engine on real faces (stills and a 10 s 720p clip made from the GRID clips in
 * /work/shared/fixtures/live-video). The four speed figures, each with its floor measured in
 * the same run, interleaved where it can be so machine load hits both sides alike:
 * 1. photo verification, upload → decision p50; floors: the 202 alone, and the bare engine
 *    analysing the same two normalised images at once on a pool of its own (what the faces step
 *    cannot avoid);
 * 2. 10 s 720p video, upload → decision p50; floor: bare ffmpeg extracting the same frames plus
 *    the bare engine analysing them and the document at once;
 * 3. photo verifications per minute, a burst at once; ceiling: the bare engine's pairs per minute;
 * 4. GET p99 while 8 verifications are being analysed; floor: the same GET on the idle host.
 * And the host's memory growth while a 50 MB video uploads.
 */
import { execFile } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { readFile, rename, rm } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import path from 'node:path';
import { promisify } from 'node:util';
import { createLocalFaceProvider } from '../shared/face/local/local-provider';
import { parseKycSettings } from '../shared/kyc/kyc-settings';
import { extractFrames, targetTimes } from '../shared/media/extract-frames';
import { resolveFfmpeg } from '../shared/media/ffmpeg-path';
import { normaliseImage } from '../shared/media/normalise-image';
import { probeVideo } from '../shared/media/probe-video';
import { type E2eHost, type UploadPart, mp4, png, startE2eHost } from '../tests/support/e2e-host';
import { hd720Video, stillFrame } from '../tests/support/media-fixtures';
import { bareSeek } from './media';
import { percentile, round } from './stats';

const run$ = promisify(execFile);
const PHOTO_RUNS = 10;
const VIDEO_RUNS = 5;
const BURST = 24;
const BUSY_VERIFICATIONS = 8;
const GET_FLOOR_RUNS = 60;
const BIG_VIDEO_BYTES = 50_000_000;
const RSS_SAMPLE_MS = 20;
const DEADLINE_MS = 180_000;

interface Timed {
  id: string;
  acceptedMs: number;
  decidedMs: number;
  status: string;
}

async function timedVerification(app: E2eHost, parts: UploadPart[]): Promise<Timed> {
  const started = performance.now();
  const response = await app.submit(parts);
  const text = await response.text();
  if (response.status !== 202) throw new Error(`upload refused: ${response.status} ${text}`);
  const acceptedMs = performance.now() - started;
  const id = (JSON.parse(text) as { id: string }).id;
  const view = await app.waitForDecision(id, { timeoutMs: DEADLINE_MS, pollMs: 50 });
  return { id, acceptedMs, decidedMs: performance.now() - started, status: view.status };
}

function latencyFigures(prefix: string, results: Timed[]): Record<string, number | string> {
  const decided = results.map((r) => r.decidedMs);
  const accepted = results.map((r) => r.acceptedMs);
  return {
    [`${prefix}DecisionMs_p50`]: round(percentile(decided, 50)),
    [`${prefix}DecisionMs_p95`]: round(percentile(decided, 95)),
    [`${prefix}AcceptedMs_p50`]: round(percentile(accepted, 50)),
    [`${prefix}AcceptedMs_p95`]: round(percentile(accepted, 95)),
    [`${prefix}Statuses`]: [...new Set(results.map((r) => r.status))].join(','),
  };
}

/** ~50 MB of ≤ 30 s 720p H.264: noisy test pattern at a high bitrate, cut at the size limit. */
async function bigVideo(): Promise<string> {
  const out = path.join(tmpdir(), 'vouch-bench-kyc-50mb.mp4');
  if (existsSync(out) && statSync(out).size > BIG_VIDEO_BYTES * 0.9) return out;
  const temp = `${out}.tmp.mp4`;
  await run$(resolveFfmpeg().path, [
    ...['-hide_banner', '-nostdin', '-loglevel', 'error', '-y'],
    ...['-f', 'lavfi', '-i', 'testsrc2=size=1280x720:rate=25', '-t', '30'],
    ...['-vf', 'noise=alls=60:allf=t+u', '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p'],
    ...['-b:v', '40M', '-maxrate', '40M', '-bufsize', '40M', '-fs', String(BIG_VIDEO_BYTES), '-f', 'mp4', temp],
  ]);
  await rename(temp, out);
  return out;
}

/** A separate Node process that uploads both files straight from disk (`openAsBlob` streams them). */
const UPLOADER = `
const { openAsBlob } = require('node:fs');
const [origin, doc, video] = process.argv.slice(1);
(async () => {
  const body = new FormData();
  body.append('document', await openAsBlob(doc, { type: 'image/png' }), 'document.png');
  body.append('selfieVideo', await openAsBlob(video, { type: 'video/mp4' }), 'selfie.mp4');
  const response = await fetch(origin + '/api/v1/verifications', { method: 'POST', headers: { 'x-api-key': 'demo-a-key' }, body });
  await response.arrayBuffer();
  process.stdout.write(String(response.status));
})();
`;

/**
 * Peak RSS growth of this process (the host) while another process uploads the big video,
 * so the client's copy of the 50 MB is not counted.
 */
async function uploadMemory(app: E2eHost, documentPath: string): Promise<Record<string, number | string>> {
  const video = await bigVideo();
  const rss = () => process.memoryUsage().rss;
  const baselineSamples: number[] = [];
  for (let i = 0; i < 25; i++) {
    baselineSamples.push(rss());
    await new Promise((resolve) => setTimeout(resolve, RSS_SAMPLE_MS));
  }
  const baseline = percentile(baselineSamples, 50);
  let peak = baseline;
  const timer = setInterval(() => {
    peak = Math.max(peak, rss());
  }, RSS_SAMPLE_MS);
  const started = performance.now();
  let status = '';
  try {
    const { stdout } = await run$(process.execPath, ['-e', UPLOADER, app.origin, documentPath, video]);
    status = stdout.trim();
  } finally {
    clearInterval(timer);
  }
  const MB = 1024 * 1024;
  return {
    bigUploadBytes: statSync(video).size,
    bigUploadHttpStatus: status,
    bigUploadMs: round(performance.now() - started),
    bigUploadBaselineRssMB: round(baseline / MB),
    bigUploadPeakRssMB: round(peak / MB),
    bigUploadRssGrowthMB: round((peak - baseline) / MB),
  };
}

/** Upload → decision of one verification per iteration, each followed by its floor `floor()`. */
async function interleavedWithFloor(app: E2eHost, runs: number, parts: UploadPart[], floor: () => Promise<unknown>): Promise<{ timed: Timed[]; floorMs: number[] }> {
  const timed: Timed[] = [];
  const floorMs: number[] = [];
  for (let i = 0; i < runs; i++) {
    timed.push(await timedVerification(app, parts));
    const started = performance.now();
    await floor();
    floorMs.push(performance.now() - started);
  }
  return { timed, floorMs };
}

/** Latency of sequential GETs of verifications, cycling through `ids`, until `done()` (or `count` GETs). */
async function timedGets(app: E2eHost, ids: string[], until: { count?: number; done?: (statuses: Map<string, string>) => boolean }): Promise<number[]> {
  const latencies: number[] = [];
  const statuses = new Map<string, string>();
  for (let i = 0; until.count === undefined || i < until.count; i++) {
    const id = ids[i % ids.length]!;
    const started = performance.now();
    const response = await app.call(`/api/v1/verifications/${id}`, { apiKey: 'demo-a-key' });
    const view = (await response.json()) as { status: string };
    latencies.push(performance.now() - started);
    if (response.status !== 200) throw new Error(`GET ${id}: ${response.status}`);
    statuses.set(id, view.status);
    if (until.done?.(statuses)) break;
  }
  return latencies;
}

const TERMINAL = new Set(['approved', 'declined', 'review', 'failed']);
const p = (values: number[], q: number) => round(percentile(values, q));

export async function run(): Promise<Record<string, number | string>> {
  const loadAtStart = loadavg()[0] ?? 0;
  const [documentPath, selfiePath, hdPath] = await Promise.all([stillFrame('grid_bbaf2n', 0.3), stillFrame('grid_bbaf2n', 2.5), hd720Video()]);
  const [document, selfie, hd] = await Promise.all([readFile(documentPath), readFile(selfiePath), readFile(hdPath)]);
  // The floors' engine: its own pool of one worker per core, fed what the faces step feeds its own.
  const engine = createLocalFaceProvider();
  const [{ jpeg: docJpeg }, { jpeg: selfieJpeg }] = await Promise.all([normaliseImage(document), normaliseImage(selfie)]);
  const settings = parseKycSettings({});
  const frameTimes = targetTimes(await probeVideo(hdPath), settings.frameCount);
  const frameJpegs = await Promise.all(
    (await extractFrames(hdPath, { count: settings.frameCount })).frames.map(async (f) => (await normaliseImage(f.jpeg)).jpeg),
  );
  const app = await startE2eHost();
  try {
    const photo = [png('document', document), png('selfie', selfie)];
    const video = [png('document', document), mp4(hd)];
    // Polling every 50 ms would hit the per-tenant rate limit (600/min), which is not what is measured here.
    await app.putSetting('rate-limits', { limit: 1_000_000, windowS: 60 });
    // Warm-up: first use loads the face models (host and floor engine) and creates queues and containers.
    await Promise.all([timedVerification(app, photo), engine.warmUp()]);
    await timedVerification(app, video);

    const enginePair = () => Promise.all([engine.analyseImage(docJpeg), engine.analyseImage(selfieJpeg)]);
    const photos = await interleavedWithFloor(app, PHOTO_RUNS, photo, enginePair);

    const ffmpegMs: number[] = [];
    const videoEngineMs: number[] = [];
    const videos = await interleavedWithFloor(app, VIDEO_RUNS, video, async () => {
      let t = performance.now();
      await bareSeek(hdPath, frameTimes);
      ffmpegMs.push(performance.now() - t);
      t = performance.now();
      await Promise.all([docJpeg, ...frameJpegs].map((image) => engine.analyseImage(image)));
      videoEngineMs.push(performance.now() - t);
    });

    const burstStarted = performance.now();
    const burst = await Promise.all(Array.from({ length: BURST }, () => timedVerification(app, photo)));
    const burstMs = performance.now() - burstStarted;
    const engineBurstStarted = performance.now();
    await Promise.all(Array.from({ length: BURST }, enginePair));
    const engineBurstMs = performance.now() - engineBurstStarted;

    // GETs: on the idle host, then while 8 verifications are analysed (each GET also reads their status).
    const decidedIds = [...new Set(burst.map((r) => r.id))].slice(0, 8);
    const idleGets = await timedGets(app, decidedIds, { count: GET_FLOOR_RUNS });
    const pending = await Promise.all(Array.from({ length: BUSY_VERIFICATIONS }, async () => {
      const response = await app.submit(photo);
      return ((await response.json()) as { id: string }).id;
    }));
    const loopDelay = monitorEventLoopDelay({ resolution: 10 });
    loopDelay.enable();
    const busyStarted = performance.now();
    const busyGets = await timedGets(app, pending, { done: (s) => s.size === pending.length && [...s.values()].every((x) => TERMINAL.has(x)) });
    const busyMs = performance.now() - busyStarted;
    loopDelay.disable();

    const memory = await uploadMemory(app, documentPath);
    const photoP50 = percentile(photos.timed.map((r) => r.decidedMs), 50);
    const videoFloor = ffmpegMs.map((ms, i) => ms + (videoEngineMs[i] ?? 0));
    return {
      loadAverage1mAtStart: round(loadAtStart, 2),
      loadAverage1mAtEnd: round(loadavg()[0] ?? 0, 2),
      workers: availableParallelism(),
      // 1. photo
      ...latencyFigures('photo', photos.timed),
      photoFloorEngineMs_p50: p(photos.floorMs, 50),
      photoOverFloorMs_p50: round(photoP50 - percentile(photos.floorMs, 50)),
      // 2. video
      ...latencyFigures('video720p10s', videos.timed),
      video720p10sFrames: settings.frameCount,
      video720p10sFloorMs_p50: p(videoFloor, 50),
      video720p10sFloorBareFfmpegMs_p50: p(ffmpegMs, 50),
      video720p10sFloorEngineMs_p50: p(videoEngineMs, 50),
      // 3. throughput
      burstSize: BURST,
      burstAllDecidedMs: round(burstMs),
      burstStatuses: [...new Set(burst.map((r) => r.status))].join(','),
      verificationsPerMinute: round((BURST / burstMs) * 60_000),
      engineOnlyPairsPerMinute: round((BURST / engineBurstMs) * 60_000),
      // 4. GETs during analysis
      getIdleMs_p50: p(idleGets, 50),
      getIdleMs_p99: p(idleGets, 99),
      getWhileAnalysing8Ms_p50: p(busyGets, 50),
      getWhileAnalysing8Ms_p99: p(busyGets, 99),
      getWhileAnalysing8Ms_max: p(busyGets, 100),
      getWhileAnalysing8Count: busyGets.length,
      getWhileAnalysing8WindowMs: round(busyMs),
      hostEventLoopDelayMs_p99: round(loopDelay.percentile(99) / 1e6),
      hostEventLoopDelayMs_max: round(loopDelay.max / 1e6),
      ...memory,
    };
  } finally {
    await engine.close();
    await app.stop();
    await rm(path.join(tmpdir(), 'vouch-bench-kyc-50mb.mp4.tmp.mp4'), { force: true });
  }
}

if (require.main === module) {
  run().then(
    (figures) => console.log(JSON.stringify(figures, null, 2)),
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
