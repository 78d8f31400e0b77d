import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { useAzurite, uniqueSuffix, type TestStorage } from '../local-storage';
import { uniqueHub } from './durable-host';
import { eventually } from '../../support/eventually';
import { type HostProcess, killHost, startHostProcess } from '../../support/host-process';

const POLL = { timeoutMs: 20_000, pollMs: 25 };
const CRASH_HOST = path.join(__dirname, 'fixtures', 'crash-host.js');

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
    for (const host of hosts) await killHost(host);
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
    const first = await startHostProcess(CRASH_HOST, env);
    hosts.push(first);
    await startOn(first, instanceId, 1500);
    await eventually(async () => ((await status(first.origin, instanceId))?.history ?? []).some((e) => e.EventType === 'TimerCreated') || undefined, 'timer', POLL);
    await killHost(first);

    const second = await startHostProcess(CRASH_HOST, env);
    hosts.push(second);
    const done = await eventually(async () => {
      const s = await status(second.origin, instanceId);
      return s && ['Completed', 'Failed'].includes(s.runtimeStatus) ? s : undefined;
    }, 'completion', POLL);
    assert.equal(done.runtimeStatus, 'Completed');
    assert.deepEqual(done.output, ['Hello one', 'Slow two']);
    assert.equal(runs('Hello:one'), 1);
    assert.equal(runs('Slow:two'), 1);
    await killHost(second);
  });

  it('should resume after kill -9 during an activity, re-running at most the one in flight', async () => {
    const instanceId = `crash-activity-${uniqueSuffix()}`;
    const before = runs('Hello:one');
    const first = await startHostProcess(CRASH_HOST, env);
    hosts.push(first);
    await startOn(first, instanceId, 10);
    await eventually(async () => ((await status(first.origin, instanceId))?.history ?? []).some((e) => e.EventType === 'TaskScheduled' && e.Name === 'Slow') || undefined, 'Slow scheduled', POLL);
    await killHost(first);

    const second = await startHostProcess(CRASH_HOST, env);
    hosts.push(second);
    const done = await eventually(async () => {
      const s = await status(second.origin, instanceId);
      return s && ['Completed', 'Failed'].includes(s.runtimeStatus) ? s : undefined;
    }, 'completion', POLL);
    assert.deepEqual(done.output, ['Hello one', 'Slow two']);
    assert.equal(runs('Hello:one') - before, 1);
    await killHost(second);
  });
});
