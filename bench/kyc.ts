/**
 * KYC pipeline through the real local runtime, in this process (as the e2e tests run it):
 * upload-to-decision latency of photo and 10 s 720p video selfies, throughput of a burst of
 * photo verifications, and the host's memory growth while a 50 MB video uploads.
 * Floor: the time until the 202 (upload and blob write only) of the same requests.
 */
import { execFile } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { readFile, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { resolveFfmpeg } from '../shared/media/ffmpeg-path';
import { type E2eHost, type UploadPart, mp4, png, startE2eHost } from '../tests/support/e2e-host';
import { hd720Video, stillFrame } from '../tests/support/media-fixtures';
import { percentile, round } from './stats';

const run$ = promisify(execFile);
const PHOTO_RUNS = 10;
const VIDEO_RUNS = 5;
const BURST = 20;
const BIG_VIDEO_BYTES = 50_000_000;
const RSS_SAMPLE_MS = 20;
const DEADLINE_MS = 180_000;

interface Timed {
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
  const view = await app.waitForDecision((JSON.parse(text) as { id: string }).id, { timeoutMs: DEADLINE_MS, pollMs: 50 });
  return { acceptedMs, decidedMs: performance.now() - started, status: view.status };
}

async function sequential(app: E2eHost, runs: number, parts: UploadPart[]): Promise<Timed[]> {
  const results: Timed[] = [];
  for (let i = 0; i < runs; i++) results.push(await timedVerification(app, parts));
  return results;
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

export async function run(): Promise<Record<string, number | string>> {
  const [documentPath, selfiePath, hdPath] = await Promise.all([stillFrame('grid_bbaf2n', 0.3), stillFrame('grid_bbaf2n', 2.5), hd720Video()]);
  const [document, selfie, hd] = await Promise.all([readFile(documentPath), readFile(selfiePath), readFile(hdPath)]);
  const app = await startE2eHost();
  try {
    const photo = [png('document', document), png('selfie', selfie)];
    // Polling every 50 ms would hit the per-tenant rate limit (600/min), which is not what is measured here.
    await app.putSetting('rate-limits', { limit: 1_000_000, windowS: 60 });
    // Warm-up: first use loads the face models and creates queues and containers.
    await timedVerification(app, photo);
    const photos = await sequential(app, PHOTO_RUNS, photo);
    const videos = await sequential(app, VIDEO_RUNS, [png('document', document), mp4(hd)]);

    const burstStarted = performance.now();
    const burst = await Promise.all(Array.from({ length: BURST }, () => timedVerification(app, photo)));
    const burstMs = performance.now() - burstStarted;

    const memory = await uploadMemory(app, documentPath);
    return {
      ...latencyFigures('photo', photos),
      ...latencyFigures('video720p10s', videos),
      burstSize: BURST,
      burstAllDecidedMs: round(burstMs),
      burstStatuses: [...new Set(burst.map((r) => r.status))].join(','),
      verificationsPerMinute: round((BURST / burstMs) * 60_000),
      ...memory,
    };
  } finally {
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
