/**
 * The Cosmos-protocol server `@vercel/cosmosdb-server` as a child process (cosmos-server.ts).
 * The server keeps data in memory; with `stateFile` the child saves it there (a second after
 * writes and on exit) and restores it at start, so `npm start` keeps Cosmos data as Azurite keeps
 * its own. Without `stateFile` (tests) the data lives as long as the process.
 */
import path from 'node:path';
import { spawnAndWait } from './child-process';

export interface CosmosOptions {
  /** HTTPS port on 127.0.0.1. Default 8081 (the emulator's). */
  port?: number;
  /** JSON file the state is saved to and restored from, e.g. `.local/cosmos/state.json`. */
  stateFile?: string;
}

export interface RunningCosmos {
  /** e.g. `https://127.0.0.1:8081/` (self-signed certificate). */
  endpoint: string;
  /** Any string is accepted by the server. */
  key: string;
  stop(): Promise<void>;
}

export async function startCosmos(options: CosmosOptions = {}): Promise<RunningCosmos> {
  const port = options.port ?? 8081;
  const args = [path.join(__dirname, 'cosmos-server.js'), String(port), ...(options.stateFile ? [options.stateFile] : [])];
  const running = await spawnAndWait('cosmosdb-server', args, [port], 30_000, { cwd: __dirname });
  return { endpoint: `https://127.0.0.1:${port}/`, key: 'local-cosmos-key', stop: running.stop };
}
