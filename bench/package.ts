/**
 * The deployment package (`npm run package`): its size against a budget, and how long the packaged
 * app takes to import every function registration (cold start as the worker sees it, from the
 * package's own node_modules) against the SDK floor imported from the same package (`@azure/functions`
 * + `durable-functions`, and with `zod`, which every Vouch module's schemas need) and bare Node,
 * all in the same run.
 *
 * Budget: 128 MiB zipped, 400 MiB unpacked. Every new Flex Consumption instance fetches and unpacks
 * the package before the first invocation, so its size is cold-start time; the floor is what the
 * app needs to run offline: ffmpeg (65 MiB, the tested binary), tfjs + the offline face engine with
 * its five models, sharp/libvips and the Azure SDKs. The budget leaves about a third of headroom for
 * the face engine's next models without letting a dev tool or a test tree slip back in (the
 * pre-package `node_modules` was about 860 MB, 250 MB zipped).
 */
import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { buildPackage } from '../scripts/package';
import { percentile, round, timeRuns } from './stats';

const RUNS = 10;
const MiB = 2 ** 20;
export const PACKAGE_BUDGET = { zipMiB: 128, unpackedMiB: 400 };

const root = resolve(__dirname, '..', '..');

function nodeRun(cwd: string, script: string): Promise<void> {
  execFileSync(process.execPath, ['-e', script], { cwd, stdio: 'ignore' });
  return Promise.resolve();
}

export async function run(): Promise<Record<string, number | boolean>> {
  const out = join(root, 'bench', 'out', 'package');
  const started = performance.now();
  const report = buildPackage(root, out);
  const buildSeconds = (performance.now() - started) / 1000;

  const app = join(out, 'app');
  const fromApp = (m: string) => JSON.stringify(join(app, 'node_modules', m));
  const bare = await timeRuns(RUNS, () => nodeRun(app, '0'));
  const requireAll = (modules: string[]) => modules.map((m) => `require(${fromApp(m)});`).join('');
  // The Functions SDKs alone: what any Node app on Durable Functions pays before its own code.
  const functionsSdk = await timeRuns(RUNS, () => nodeRun(app, requireAll(['@azure/functions', 'durable-functions'])));
  const sdk = await timeRuns(RUNS, () => nodeRun(app, requireAll(['@azure/functions', 'durable-functions', 'zod'])));
  const packaged = await timeRuns(RUNS, () => nodeRun(app, `require(${JSON.stringify(join(app, 'dist', 'functions', 'index.js'))});`));
  const sdkP50 = percentile(sdk, 50);
  const appP50 = percentile(packaged, 50);
  const zipMiB = report.zipBytes / MiB;
  const unpackedMiB = report.unpackedBytes / MiB;
  return {
    packageZipMiB: round(zipMiB),
    packageUnpackedMiB: round(unpackedMiB),
    packageFiles: report.files,
    packageBudgetZipMiB: PACKAGE_BUDGET.zipMiB,
    packageBudgetUnpackedMiB: PACKAGE_BUDGET.unpackedMiB,
    packageWithinBudget: zipMiB <= PACKAGE_BUDGET.zipMiB && unpackedMiB <= PACKAGE_BUDGET.unpackedMiB,
    packageBuildSeconds: round(buildSeconds),
    packagedImportBareNodeMs_p50: round(percentile(bare, 50)),
    packagedImportFunctionsSdkMs_p50: round(percentile(functionsSdk, 50)),
    packagedImportSdkFloorMs_p50: round(sdkP50),
    packagedImportMs_p50: round(appP50),
    packagedImportMs_p95: round(percentile(packaged, 95)),
    packagedImportOverSdkFloorMs_p50: round(appP50 - sdkP50),
  };
}
