/**
 * `npm run bench`: runs every benchmark section and writes `bench/results.json`.
 * Each section runs in a process of its own (no config cache, env or loaded model leaks into the
 * next one's figures); a section that fails is recorded with its error instead of stopping the rest.
 * Usage: `npm run bench [-- section ...]`; running some sections keeps the others' last figures.
 */
import { fork } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { resolve } from 'node:path';

type Section = () => Promise<Record<string, unknown>>;

const SECTIONS: Record<string, () => Promise<Section>> = {
  coldStart: async () => (await import('./cold-start')).run,
  runtimeStart: async () => (await import('./runtime-start')).run,
  media: async () => (await import('./media')).run,
  face: async () => (await import('./face')).run,
  orders: async () => (await import('./orders')).run,
  ordersRuntime: async () => (await import('./orders')).runThroughRuntime,
  kyc: async () => (await import('./kyc')).run,
  privacy: async () => (await import('./privacy')).run,
  runtime: async () => (await import('./runtime')).run,
  package: async () => (await import('./package')).run,
};

const OUT = resolve(__dirname, '..', '..', 'bench', 'results.json');

/** The previous results, so a partial run replaces only the sections it ran. */
function previousResults(): Record<string, unknown> {
  try {
    return existsSync(OUT) ? (JSON.parse(readFileSync(OUT, 'utf8')) as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  const names = wanted.length > 0 ? wanted : Object.keys(SECTIONS);
  const results: Record<string, unknown> = {
    ...previousResults(),
    measuredAt: new Date().toISOString(),
    node: process.version,
    cpus: `${cpus().length} x ${cpus()[0]?.model ?? 'unknown'}`,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
  };
  for (const name of names) {
    if (!SECTIONS[name]) throw new Error(`Unknown bench section ${name}; known: ${Object.keys(SECTIONS).join(', ')}`);
    const started = performance.now();
    results[name] = await runSection(name);
    console.log(`${name} (${Math.round(performance.now() - started)} ms):`, JSON.stringify(results[name]));
  }
  writeFileSync(OUT, JSON.stringify(results, null, 2) + '\n');
  console.log(`wrote ${OUT}`);
}

/** Runs one section in a child process; its figures come back over IPC (its stdout is the host's log). */
function runSection(name: string): Promise<Record<string, unknown>> {
  return new Promise((resolve) => {
    const child = fork(__filename, ['--section', name], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let figures: Record<string, unknown> | undefined;
    child.on('message', (message) => (figures = message as Record<string, unknown>));
    child.on('exit', (code) => resolve(figures ?? { error: `section process exited with ${code}` }));
  });
}

async function section(name: string): Promise<void> {
  const load = SECTIONS[name];
  let figures: Record<string, unknown>;
  try {
    figures = { measuredAt: new Date().toISOString(), ...(await (await load!())()) };
  } catch (error) {
    figures = { error: error instanceof Error ? error.message : String(error) };
  }
  process.send?.(figures, () => process.exit(0));
}

const sectionArg = process.argv.indexOf('--section');
(sectionArg >= 0 ? section(process.argv[sectionArg + 1] ?? '') : main()).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
