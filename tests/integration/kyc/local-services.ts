/**
 * Azurite and Cosmos for the KYC integration tests: the suite's shared servers when
 * `AzureWebJobsStorage` / `COSMOS_ENDPOINT` are set (scripts/test.ts), otherwise ones
 * this process starts on free loopback ports and stops in `after`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Container } from '@azure/cosmos';
import { BlobServiceClient, type ContainerClient } from '@azure/storage-blob';
import { openTestCosmos } from '../../support/test-cosmos';

const DEV_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';
const ROOT = join(__dirname, '..', '..', '..', '..');

export const suffix = () => randomBytes(4).toString('hex');

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s: Server = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const address = s.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      s.close(() => resolve(port));
    });
  });
}

async function waitForPort(port: number, ms = 20_000): Promise<void> {
  const until = Date.now() + ms;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = require('node:net').connect(port, '127.0.0.1');
      socket.once('connect', () => (socket.end(), resolve(true)));
      socket.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > until) throw new Error(`Nothing listens on ${port}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

export interface LocalServices {
  blobContainer(): Promise<ContainerClient>;
  cosmosContainer(name: string): Promise<Container>;
  stop(): Promise<void>;
}

export async function startLocalServices(): Promise<LocalServices> {
  const stops: Array<() => Promise<void>> = [];
  let storage = process.env.AzureWebJobsStorage;
  if (!storage) {
    const port = await freePort();
    const dir = await mkdtemp(join(tmpdir(), 'kyc-azurite-'));
    const child: ChildProcess = spawn(
      join(ROOT, 'node_modules', '.bin', 'azurite-blob'),
      ['--silent', '--skipApiVersionCheck', '--disableTelemetry', '--location', dir, '--blobPort', String(port), '--blobHost', '127.0.0.1'],
      { stdio: 'ignore' },
    );
    stops.push(async () => {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill();
      await exited;
      await rm(dir, { recursive: true, force: true });
    });
    await waitForPort(port);
    storage = `DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=${DEV_KEY};BlobEndpoint=http://127.0.0.1:${port}/devstoreaccount1;`;
  }
  const testCosmos = await openTestCosmos();
  const cosmos = testCosmos.client;
  const blobs = BlobServiceClient.fromConnectionString(storage);
  const databaseId = `kyc-${suffix()}`;
  return {
    async blobContainer() {
      const c = blobs.getContainerClient(`kyc-media-${suffix()}`);
      await c.create();
      return c;
    },
    async cosmosContainer(name) {
      const { database } = await cosmos.databases.createIfNotExists({ id: databaseId });
      const { container } = await database.containers.createIfNotExists({ id: `${name}-${suffix()}`, partitionKey: { paths: ['/tenantId'] } });
      return container;
    },
    async stop() {
      await testCosmos.close();
      for (const stop of stops.reverse()) await stop();
    },
  };
}
