/**
 * Local runtime start-to-healthy: a fresh `cli.js start` process (Azurite, the
 * Cosmos server and the host) until `GET /api/health` answers 200, against
 * bare `node -e 0` in the same run.
 */
import { spawn, execFileSync } from 'node:child_process';
import path from 'node:path';
import { percentile, round } from './stats';

const RUNS = 3;
const root = path.resolve(__dirname, '..', '..');

async function waitHealthy(url: string, deadline: number): Promise<void> {
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url)).status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${url} not healthy in time`);
}

async function startOnce(base: number): Promise<number> {
  const started = performance.now();
  // Without these the CLI starts its own storage; --clean empties it, as a fresh `npm start -- --clean` does.
  const { AzureWebJobsStorage: _storage, COSMOS_ENDPOINT: _cosmos, ...env } = process.env;
  const child = spawn(
    process.execPath,
    [path.join(root, 'dist', 'runtime', 'cli.js'), 'start', '--quiet', '--clean', '--port', String(base), '--storage-port', String(base + 1), '--cosmos-port', String(base + 4)],
    { cwd: root, env, stdio: 'ignore' },
  );
  try {
    await waitHealthy(`http://127.0.0.1:${base}/api/health`, Date.now() + 60_000);
    return performance.now() - started;
  } finally {
    child.kill('SIGINT');
    await new Promise((r) => child.once('exit', r));
  }
}

export async function run(): Promise<Record<string, number>> {
  const bare: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    execFileSync(process.execPath, ['-e', '0']);
    bare.push(performance.now() - t);
  }
  const runs: number[] = [];
  for (let i = 0; i < RUNS; i++) runs.push(await startOnce(31_000 + i * 10));
  return {
    runtimeStartToHealthyMs_p50: round(percentile(runs, 50)),
    runtimeStartToHealthyMs_max: round(Math.max(...runs)),
    bareNodeMs_p50: round(percentile(bare, 50)),
    runs: RUNS,
  };
}
