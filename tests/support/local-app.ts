/**
 * The whole app on the local runtime, in this test process: its own Azurite
 * (hosts in other test files must not take this host's queue messages), a
 * database of its own on the suite's Cosmos server, and a random HTTP port.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startHost } from '../../runtime';
import { startAzurite } from '../../runtime/storage/azurite';
import { startCosmos } from '../../runtime/storage/cosmos';
import { freePorts } from '../../runtime/storage/free-ports';
import { resetConfigForTests } from '../../shared/config';

export interface LocalApp {
  origin: string;
  /** `fetch` against the app with a tenant API key. */
  call(route: string, init?: RequestInit & { apiKey?: string }): Promise<Response>;
  stop(): Promise<void>;
}

const repoRoot = path.resolve(__dirname, '..', '..', '..');
const compiledRoot = path.resolve(__dirname, '..', '..');

export async function startLocalApp(settings: Record<string, string> = {}): Promise<LocalApp> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'vouch-e2e-'));
  const azurite = await startAzurite({ blobPort: await freePorts(3), location: dataDir });
  const cosmos = process.env.COSMOS_ENDPOINT ? undefined : await startCosmos({ port: await freePorts(1) });
  const unique = randomBytes(4).toString('hex');
  resetConfigForTests();
  const host = await startHost({
    appDir: repoRoot,
    main: path.join(compiledRoot, 'functions', 'index.js'),
    port: 0,
    settings: {
      AzureWebJobsStorage: azurite.connectionString,
      COSMOS_ENDPOINT: cosmos?.endpoint ?? process.env.COSMOS_ENDPOINT ?? '',
      COSMOS_KEY: cosmos?.key ?? process.env.COSMOS_KEY ?? 'key',
      COSMOS_DATABASE: `e2e-${unique}`,
      TASKHUB_NAME: `E2e${unique}`,
      ...settings,
    },
  });
  return {
    origin: host.origin,
    call: (route, init = {}) => {
      const { apiKey, headers, ...rest } = init;
      return fetch(`${host.origin}${route}`, { ...rest, headers: { ...(apiKey ? { 'x-api-key': apiKey } : {}), ...headers } });
    },
    async stop() {
      await host.stop();
      await Promise.allSettled([azurite.stop(), cosmos?.stop()]);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
