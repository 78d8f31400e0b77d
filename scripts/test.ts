/**
 * `npm test`: starts one Azurite and one Cosmos-protocol server on free loopback
 * ports, runs every compiled test file with Node's test runner against them
 * (each test uses its own uniquely named resources), then stops both.
 * `npm test -- tests/unit` runs a subset (paths under `tests/`).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startAzurite } from '../runtime/storage/azurite';
import { startCosmos } from '../runtime/storage/cosmos';
import { freePorts } from '../runtime/storage/free-ports';

const distRoot = path.resolve(__dirname, '..');

function testGlobs(args: string[]): string[] {
  if (args.length === 0) return [path.join(distRoot, 'tests', '**', '*.test.js')];
  return args.map((arg) => {
    const target = path.join(distRoot, arg.replace(/\.ts$/, '.js'));
    return target.endsWith('.js') ? target : path.join(target, '**', '*.test.js');
  });
}

async function main(): Promise<number> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'vouch-test-'));
  const azurite = await startAzurite({ blobPort: await freePorts(3), location: dataDir });
  const cosmos = await startCosmos({ port: await freePorts(1) });
  try {
    const env = {
      ...process.env,
      AzureWebJobsStorage: azurite.connectionString,
      COSMOS_ENDPOINT: cosmos.endpoint,
      COSMOS_KEY: cosmos.key,
    };
    const args = ['--test', '--test-concurrency=3', '--test-timeout=300000', ...testGlobs(process.argv.slice(2))];
    const child = spawn(process.execPath, args, { env, stdio: 'inherit' });
    return await new Promise<number>((resolve) => child.on('exit', (code) => resolve(code ?? 1)));
  } finally {
    await Promise.allSettled([azurite.stop(), cosmos.stop()]);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
