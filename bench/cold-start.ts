/**
 * Cold start: how long a fresh Node process takes to import every function
 * registration (what the Functions worker does before the first invocation),
 * against bare `node -e 0` and against the SDK floor (the `@azure/functions`, `durable-functions` and
 * `zod` packages every registration needs), both measured in the same run.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { percentile, round, timeRuns } from './stats';

const RUNS = 10;
const root = resolve(__dirname, '..', '..');

function nodeRun(script: string): Promise<void> {
  execFileSync(process.execPath, ['-e', script], { cwd: root, stdio: 'ignore' });
  return Promise.resolve();
}

export async function run(): Promise<Record<string, number>> {
  const functionsDir = join(root, 'dist', 'functions');
  const entries = readdirSync(functionsDir).filter((f) => f.endsWith('.js'));
  const importAll = entries.map((f) => `require(${JSON.stringify(join(functionsDir, f))});`).join('');
  const bare = await timeRuns(RUNS, () => nodeRun('0'));
  const sdk = await timeRuns(RUNS, () => nodeRun("require('@azure/functions');require('durable-functions');require('zod');"));
  const app = await timeRuns(RUNS, () => nodeRun(importAll));
  const bareP50 = percentile(bare, 50);
  const sdkP50 = percentile(sdk, 50);
  const appP50 = percentile(app, 50);
  return {
    coldStartBareNodeMs_p50: round(bareP50),
    coldStartSdkFloorMs_p50: round(sdkP50),
    coldStartAppOverSdkFloorMs_p50: round(appP50 - sdkP50),
    coldStartFunctionImportMs_p50: round(appP50),
    coldStartFunctionImportMs_p95: round(percentile(app, 95)),
    coldStartImportOverBareMs_p50: round(appP50 - bareP50),
    coldStartRatioToBareNode: round(appP50 / bareP50, 2),
    functionFiles: entries.length,
  };
}
