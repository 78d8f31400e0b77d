/**
 * Azurite (blob, queue, table) as a child process with its data under a folder
 * such as `.local/azurite`.
 */
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { spawnAndWait } from './child-process';

export const DEV_ACCOUNT = 'devstoreaccount1';
export const DEV_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

export interface AzuriteOptions {
  /** Blob port; queue and table use the next two. Default 10000 (what `UseDevelopmentStorage=true` means). */
  blobPort?: number;
  /** Data folder. */
  location: string;
  /** Delete the data folder first, so the run starts empty. */
  clean?: boolean;
}

export interface RunningAzurite {
  connectionString: string;
  blobPort: number;
  stop(): Promise<void>;
}

/** Full connection string for the dev account on 127.0.0.1 (the SDKs accept it; no `UseDevelopmentStorage`). */
export function azuriteConnectionString(blobPort: number): string {
  const endpoint = (port: number): string => `http://127.0.0.1:${port}/${DEV_ACCOUNT}`;
  return (
    `DefaultEndpointsProtocol=http;AccountName=${DEV_ACCOUNT};AccountKey=${DEV_KEY};` +
    `BlobEndpoint=${endpoint(blobPort)};QueueEndpoint=${endpoint(blobPort + 1)};TableEndpoint=${endpoint(blobPort + 2)};`
  );
}

export async function startAzurite(options: AzuriteOptions): Promise<RunningAzurite> {
  const blobPort = options.blobPort ?? 10000;
  if (options.clean) rmSync(options.location, { recursive: true, force: true });
  mkdirSync(options.location, { recursive: true });
  const bin = path.join(path.dirname(require.resolve('azurite/package.json')), 'dist', 'src', 'azurite.js');
  const ports = [blobPort, blobPort + 1, blobPort + 2];
  const args = [bin, '--silent', '--skipApiVersionCheck', '--disableTelemetry', '--location', options.location];
  args.push('--blobPort', String(ports[0]), '--queuePort', String(ports[1]), '--tablePort', String(ports[2]));
  args.push('--blobHost', '127.0.0.1', '--queueHost', '127.0.0.1', '--tableHost', '127.0.0.1');
  const running = await spawnAndWait('Azurite', args, ports);
  return { connectionString: azuriteConnectionString(blobPort), blobPort, stop: running.stop };
}
