/**
 * The Cosmos-protocol server `@vercel/cosmosdb-server` as a child process.
 *
 * It keeps data in memory only, so Cosmos data lives exactly as long as this
 * process. To keep a new `npm start` consistent, the CLI starts Azurite with
 * `clean: true` whenever it starts this server: both stores begin empty
 * together, and both survive host-only restarts (`start --host-only`).
 */
import { spawnAndWait } from './child-process';

export interface CosmosOptions {
  /** HTTPS port on 127.0.0.1. Default 8081 (the emulator's). */
  port?: number;
}

export interface RunningCosmos {
  /** e.g. `https://127.0.0.1:8081/` (self-signed certificate). */
  endpoint: string;
  /** Any string is accepted by the server. */
  key: string;
  stop(): Promise<void>;
}

// The child exits when its stdin closes, so it cannot outlive a parent that dies without cleanup.
const SERVER_SCRIPT = `
const { default: createServer } = require('@vercel/cosmosdb-server');
const port = Number(process.argv[1]);
createServer({ keepAlive: true }).listen(port, '127.0.0.1');
process.stdin.on('end', () => process.exit(0)).resume();
`;

export async function startCosmos(options: CosmosOptions = {}): Promise<RunningCosmos> {
  const port = options.port ?? 8081;
  const running = await spawnAndWait('cosmosdb-server', ['-e', SERVER_SCRIPT, String(port)], [port], 30_000, {
    cwd: __dirname,
  });
  return { endpoint: `https://127.0.0.1:${port}/`, key: 'local-cosmos-key', stop: running.stop };
}
