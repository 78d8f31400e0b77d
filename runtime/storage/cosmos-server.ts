/**
 * Child process running `@vercel/cosmosdb-server` on 127.0.0.1:<port>. With a state file it
 * persists: the state is restored at start, saved one second after writes (at most once a second)
 * and on exit (SIGTERM, SIGINT, or the parent's stdin closing). A hard kill loses at most the last
 * second of writes. Usage: `node cosmos-server.js <port> [stateFile]`.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { IncomingMessage } from 'node:http';
import { createCosmosServer } from './cosmos-batch';
import { restoreSnapshot, takeSnapshot, type CosmosSnapshot } from './cosmos-snapshot';

type AccountCtor = new (host: string, port: number) => Parameters<typeof takeSnapshot>[0];

const port = Number(process.argv[2]);
const stateFile = process.argv[3];

// The server builds its Account inside a closure; wrapping the exported class is the only way to reach it.
const accountModule = require('@vercel/cosmosdb-server/lib/account') as { default: AccountCtor };
let account: InstanceType<AccountCtor> | undefined;
const Original = accountModule.default;
accountModule.default = class extends (Original as unknown as new (h: string, p: number) => object) {
  constructor(host: string, portNumber: number) {
    super(host, portNumber);
    account = this as unknown as InstanceType<AccountCtor>;
    if (stateFile && existsSync(stateFile)) restoreSnapshot(account, JSON.parse(readFileSync(stateFile, 'utf8')) as CosmosSnapshot);
  }
} as unknown as AccountCtor;

let dirty = false;
let timer: NodeJS.Timeout | undefined;

function save(): void {
  if (!stateFile || !account || !dirty) return;
  dirty = false;
  mkdirSync(path.dirname(stateFile), { recursive: true });
  const temp = `${stateFile}.tmp`;
  writeFileSync(temp, JSON.stringify(takeSnapshot(account)));
  renameSync(temp, stateFile); // atomic: a crash mid-write leaves the previous snapshot
}

function isWrite(req: IncomingMessage): boolean {
  if (req.method === 'GET' || req.method === 'HEAD') return false;
  return String(req.headers['x-ms-documentdb-isquery'] ?? '').toLowerCase() !== 'true';
}

const server = createCosmosServer({ keepAlive: true });
server.on('request', (req: IncomingMessage) => {
  if (!stateFile || !isWrite(req)) return;
  dirty = true;
  timer ??= setTimeout(() => {
    timer = undefined;
    save();
  }, 1000);
});
server.listen(port, '127.0.0.1');

function exit(): void {
  try {
    save();
  } finally {
    process.exit(0);
  }
}
process.on('SIGTERM', exit);
process.on('SIGINT', exit);
// The child exits when its stdin closes, so it cannot outlive a parent that dies without cleanup.
process.stdin.on('end', exit).resume();
