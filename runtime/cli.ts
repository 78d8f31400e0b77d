/**
 * `node dist/runtime/cli.js start [--host-only | --storage-only] [--clean] [--port 7071] [--storage-port 10000]
 *   [--cosmos-port 8081] [--app-dir .] [--quiet]`
 *
 * `start` uses storage the environment names (AzureWebJobsStorage, COSMOS_ENDPOINT)
 * or finds already running on the given ports, starts whatever is missing, then the
 * host. Both stores keep their data under `<app-dir>/.local/` across restarts
 * (Azurite in `azurite/`, Cosmos in `cosmos/state.json`); `--clean` deletes both first.
 * `--host-only` never starts storage, so the host can be killed and restarted
 * against storage a `start` (or `start --storage-only`) in another terminal keeps
 * running; `--storage-only` starts (or finds) storage and waits.
 * Ctrl-C / SIGTERM stops everything this process started.
 */
import { rmSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { consoleHostLog } from './host-log';
import { startHost, type StartedHost } from './index';
import { azuriteConnectionString, startAzurite } from './storage/azurite';
import { canConnect } from './storage/child-process';
import { startCosmos } from './storage/cosmos';

interface CliOptions {
  hostOnly: boolean;
  storageOnly: boolean;
  port: number;
  storagePort: number;
  cosmosPort: number;
  appDir: string;
  quiet: boolean;
  clean: boolean;
}

type Stop = () => Promise<void>;

function parseOptions(argv: string[]): { command: string | undefined; options: CliOptions } {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      'host-only': { type: 'boolean', default: false },
      'storage-only': { type: 'boolean', default: false },
      port: { type: 'string', default: '7071' },
      'storage-port': { type: 'string', default: '10000' },
      'cosmos-port': { type: 'string', default: '8081' },
      'app-dir': { type: 'string', default: process.cwd() },
      quiet: { type: 'boolean', default: false },
      clean: { type: 'boolean', default: false },
    },
  });
  return {
    command: positionals[0],
    options: {
      hostOnly: values['host-only'],
      storageOnly: values['storage-only'],
      port: Number(values.port),
      storagePort: Number(values['storage-port']),
      cosmosPort: Number(values['cosmos-port']),
      appDir: path.resolve(values['app-dir']),
      quiet: values.quiet,
      clean: values.clean,
    },
  };
}

/** Makes sure Azurite and Cosmos are reachable; returns the stops for what it started. */
async function ensureStorage(options: CliOptions, say: (line: string) => void): Promise<Stop[]> {
  const stops: Stop[] = [];
  const cosmosRunning = Boolean(process.env.COSMOS_ENDPOINT) || (await canConnect(options.cosmosPort));
  const azuriteRunning = Boolean(process.env.AzureWebJobsStorage) || (await canConnect(options.storagePort));
  if (options.hostOnly && (!cosmosRunning || !azuriteRunning)) {
    throw new Error('--host-only: storage is not running; start it with `node dist/runtime/cli.js start` in another terminal');
  }
  if (options.clean && (azuriteRunning || cosmosRunning)) {
    throw new Error('--clean: storage is already running; stop it first (it would keep its data)');
  }
  const local = path.join(options.appDir, '.local');
  const stateFile = path.join(local, 'cosmos', 'state.json');
  if (options.clean) rmSync(stateFile, { force: true });
  if (!azuriteRunning) {
    const location = path.join(local, 'azurite');
    const azurite = await startAzurite({ blobPort: options.storagePort, location, clean: options.clean });
    stops.push(azurite.stop);
    say(`Azurite started on 127.0.0.1:${options.storagePort}-${options.storagePort + 2} (data in ${location}${options.clean ? ', emptied' : ''})`);
  }
  process.env.AzureWebJobsStorage ??= azuriteConnectionString(options.storagePort);
  if (!cosmosRunning) {
    const cosmos = await startCosmos({ port: options.cosmosPort, stateFile });
    stops.push(cosmos.stop);
    say(`Cosmos started on ${cosmos.endpoint} (data in ${stateFile}${options.clean ? ', emptied' : ''})`);
  }
  process.env.COSMOS_ENDPOINT ??= `https://127.0.0.1:${options.cosmosPort}/`;
  process.env.COSMOS_KEY ??= 'local-cosmos-key';
  return stops;
}

function describeFunctions(started: StartedHost): string[] {
  return started.host.context.functions().map((fn) => `  ${fn.name}: ${fn.trigger.type}`);
}

async function start(options: CliOptions): Promise<void> {
  const say = (line: string): void => console.log(line);
  const stops = await ensureStorage(options, say);
  stopOnSignal(stops, say);
  if (options.storageOnly) {
    say(`Storage ready (Azurite blob port ${options.storagePort}, Cosmos ${process.env.COSMOS_ENDPOINT}); Ctrl-C to stop`);
    return;
  }
  let started: StartedHost;
  try {
    started = await startHost({ appDir: options.appDir, port: options.port, log: consoleHostLog({ verbose: !options.quiet }) });
  } catch (error) {
    for (const stop of stops) await stop().catch(() => undefined);
    throw error;
  }
  stops.unshift(started.stop);
  say(['Functions:', ...describeFunctions(started)].join('\n'));
  say(`Vouch local host ready at ${started.origin} (Ctrl-C to stop)`);
}

/** Ctrl-C / SIGTERM run `stops` in order (host first, then storage); a second signal exits at once. */
function stopOnSignal(stops: Stop[], say: (line: string) => void): void {
  let stopping = false;
  const shutdown = (signal: string): void => {
    if (stopping) process.exit(1);
    stopping = true;
    say(`${signal}: stopping…`);
    void (async () => {
      for (const stop of stops) await stop().catch((error: unknown) => console.error(error));
      process.exit(0);
    })();
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

async function main(): Promise<void> {
  const { command, options } = parseOptions(process.argv.slice(2));
  if (command !== 'start' || (options.hostOnly && options.storageOnly)) {
    console.error('Usage: node dist/runtime/cli.js start [--host-only | --storage-only] [--clean] [--port N] [--storage-port N] [--cosmos-port N] [--app-dir DIR] [--quiet]');
    process.exit(2);
  }
  await start(options);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
