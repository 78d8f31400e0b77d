/**
 * Programmatic entry of the local Functions host (tests, benches, the CLI).
 * `startHost` resolves once the server listens, the app is loaded, appStart
 * hooks ran and every extension started, i.e. when the host is ready.
 */
import { Host, type HostOptions } from './host';

export interface StartedHost {
  /** e.g. `http://127.0.0.1:7071`. */
  origin: string;
  /** Stops extensions (waiting for in-flight invocations), runs appTerminate hooks, closes the server. */
  stop(): Promise<void>;
  host: Host;
}

export async function startHost(options: HostOptions): Promise<StartedHost> {
  const host = new Host(options);
  try {
    await host.start();
  } catch (error) {
    await host.stop().catch(() => undefined);
    throw error;
  }
  return { origin: host.server.origin, stop: () => host.stop(), host };
}

export { Host, defaultExtensions, resolveSetting, type HostOptions, type HostJson } from './host';
export { consoleHostLog, memoryHostLog } from './host-log';
export { httpExtension, type HttpExtensionOptions } from './triggers/http';
export { timerExtension } from './triggers/timer';
export { blobExtension, type BlobExtensionOptions } from './triggers/blob';
export { startAzurite, azuriteConnectionString, type RunningAzurite } from './storage/azurite';
export { startCosmos, type RunningCosmos } from './storage/cosmos';
export type * from './types';
