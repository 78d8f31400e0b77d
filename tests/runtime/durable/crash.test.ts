import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { useAzurite, uniqueSuffix, type TestStorage } from '../local-storage';
import { uniqueHub } from './durable-host';

interface HostProcess {
  child: ChildProcess;
  origin: string;
}

/** Starts the crash-host script and resolves once it prints its origin. */
function startHostProcess(env: Record<string, string>): Promise<HostProcess> {
  const script = path.join(__dirname, 'fixtures', 'crash-host.js');
  const child = spawn(process.execPath, [script], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /ready (\S+)/.exec(out);
      if (match?.[1]) resolve({ child, origin: match[1] });
    });
    child.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('exit', (code) => reject(new Error(`host process exited (${code}) before ready: ${err}`)));
  });
}

function kill(host: HostProcess): Promise<void> {
  return new Promise((resolve) => {
    if (host.child.exitCode !== null || host.child.signalCode !== null) return resolve();
    host.child.once('exit', () => resolve());
    host.child.kill('SIGKILL');
  });
}

async function until<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

interface Status {
  runtimeStatus: string;
  output: unknown;
  history?: { EventType: string; Name?: string }[];
}

async function status(origin: string, instanceId: string): Promise<Status | undefined> {
  const response = await fetch(`${origin}/runtime/webhooks/durabletask/instances/${instanceId}?showHistory=true`);
  return response.status === 404 ? undefined : ((await response.json()) as Status);
}

describe('durable crash recovery', () => {
  let storage: TestStorage;
  const hosts: HostProcess[] = [];
  let env: Record<string, string>;
  let runsFile: string;

  const runs = (line: string): number =>
    existsSync(runsFile) ? readFileSync(runsFile, 'utf8').split('\n').filter((l) => l === line).length : 0;

  before(async () => {
    storage = await useAzurite();
    runsFile = path.join(mkdtempSync(path.join(os.tmpdir(), 'vouch-durable-')), 'runs.txt');
    env = { AzureWebJobsStorage: storage.connectionString, DURABLE_HUB: uniqueHub(), DURABLE_FIXTURE_RUNS: runsFile };
  });
  after(async () => {
    for (const host of hosts) await kill(host);
    await storage?.stop();
  });

  async function startOn(host: HostProcess, instanceId: string, timerMs: number): Promise<void> {
    const response = await fetch(`${host.origin}/runtime/webhooks/durabletask/orchestrators/Crashy/${instanceId}`, {
      method: 'POST', body: JSON.stringify(timerMs),
    });
    assert.equal(response.status, 202);
  }

  it('should resume after kill -9 during a timer, running each recorded activity once', async () => {
    const instanceId = `crash-timer-${uniqueSuffix()}`;
    const first = await startHostProcess(env);
    hosts.push(first);
    await startOn(first, instanceId, 1500);
    await until(async () => ((await status(first.origin, instanceId))?.history ?? []).some((e) => e.EventType === 'TimerCreated') || undefined, 'timer');
    await kill(first);

    const second = await startHostProcess(env);
    hosts.push(second);
    const done = await until(async () => {
      const s = await status(second.origin, instanceId);
      return s && ['Completed', 'Failed'].includes(s.runtimeStatus) ? s : undefined;
    }, 'completion');
    assert.equal(done.runtimeStatus, 'Completed');
    assert.deepEqual(done.output, ['Hello one', 'Slow two']);
    assert.equal(runs('Hello:one'), 1);
    assert.equal(runs('Slow:two'), 1);
    await kill(second);
  });

  it('should resume after kill -9 during an activity, re-running at most the one in flight', async () => {
    const instanceId = `crash-activity-${uniqueSuffix()}`;
    const before = runs('Hello:one');
    const first = await startHostProcess(env);
    hosts.push(first);
    await startOn(first, instanceId, 10);
    await until(async () => ((await status(first.origin, instanceId))?.history ?? []).some((e) => e.EventType === 'TaskScheduled' && e.Name === 'Slow') || undefined, 'Slow scheduled');
    await kill(first);

    const second = await startHostProcess(env);
    hosts.push(second);
    const done = await until(async () => {
      const s = await status(second.origin, instanceId);
      return s && ['Completed', 'Failed'].includes(s.runtimeStatus) ? s : undefined;
    }, 'completion');
    assert.deepEqual(done.output, ['Hello one', 'Slow two']);
    assert.equal(runs('Hello:one') - before, 1);
    await kill(second);
  });
});
