/**
 * Conformance of the local runtime: the whole host (every extension, default order) runs
 * conformance-app.ts and each test checks one pattern as Azure behaves. The summary printed at the
 * end (`conformance: N/M patterns pass` and one line per pattern) is the evidence quoted in issues.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { QueueServiceClient } from '@azure/storage-queue';
import { BlobServiceClient } from '@azure/storage-blob';
import { memoryHostLog, startHost, type StartedHost } from '../../../runtime/index';
import { eventually, tempAppDir, uniqueSuffix, useAzurite, type TestStorage } from '../local-storage';

const appFile = (name: string): string => path.join(__dirname, `${name}.js`);
const results: { pattern: string; ok: boolean; detail: string }[] = [];

/** Runs one pattern check and records its outcome for the summary. */
function pattern(name: string, check: () => Promise<string>): void {
  it(`should run ${name} as Azure does`, async () => {
    try {
      results.push({ pattern: name, ok: true, detail: await check() });
    } catch (error) {
      results.push({ pattern: name, ok: false, detail: error instanceof Error ? error.message.split('\n')[0] ?? '' : String(error) });
      throw error;
    }
  });
}

interface Status {
  runtimeStatus: string;
  output: unknown;
}

describe('runtime conformance', () => {
  let storage: TestStorage;
  let host: StartedHost;
  const s = uniqueSuffix();
  const names = {
    CONF_HUB: `conf${s}`, CONF_IN: `conf-in-${s}`, CONF_OUT: `conf-out-${s}`, CONF_QUEUE: `conf-q-${s}`, CONF_SB: `conf-sb-${s}`,
    CONF_TABLE: `conf${s}`, CONF_POISON: `conf-p-${s}`, CONF_DISABLED_QUEUE: `conf-d-${s}`,
  };
  const state = (): Record<string, number | string | undefined> => (globalThis as unknown as { __conformance: Record<string, number> }).__conformance;
  const api = (p: string): string => `${host.origin}${p}`;
  const durable = (p: string): string => api(`/runtime/webhooks/durabletask/${p}`);

  async function start(name: string, instanceId: string, input: unknown): Promise<void> {
    const response = await fetch(durable(`orchestrators/${name}/${instanceId}`), { method: 'POST', body: JSON.stringify(input) });
    assert.equal(response.status, 202, await response.text());
  }
  async function finished(instanceId: string, timeoutMs = 60_000): Promise<Status> {
    let status: Status | undefined;
    await eventually(async () => {
      const response = await fetch(durable(`instances/${instanceId}`));
      status = response.status === 404 ? undefined : ((await response.json()) as Status);
      return status !== undefined && ['Completed', 'Failed', 'Terminated'].includes(status.runtimeStatus);
    }, timeoutMs);
    return status!;
  }

  before(async () => {
    storage = await useAzurite();
    const appDir = tempAppDir({
      'host.json': { version: '2.0', extensions: { durableTask: { hubName: '%CONF_HUB%' }, queues: { maxPollingInterval: '00:00:00.500' } } },
    });
    host = await startHost({
      appDir, main: appFile('conformance-app'), port: 0, log: memoryHostLog(),
      settings: {
        AzureWebJobsStorage: storage.connectionString, ...names,
        'AzureWebJobs.confDisabled.Disabled': 'true', 'AzureWebJobs.confDisabledQueue.Disabled': '1',
      },
    });
  });
  after(async () => {
    await host?.stop();
    await storage?.stop();
    const passed = results.filter((r) => r.ok).length;
    console.log(`conformance: ${passed}/${results.length} patterns pass`);
    for (const r of results) console.log(`  ${r.ok ? 'PASS' : 'FAIL'} ${r.pattern}: ${r.detail}`);
  });

  pattern('HTTP with route parameters and query', async () => {
    const response = await fetch(api('/api/conf/hello/ada?q=1'));
    assert.deepEqual(await response.json(), { hello: 'ada', q: '1' });
    return `200 ${response.headers.get('content-type')}`;
  });

  pattern('HTTP streaming response', async () => {
    const response = await fetch(api('/api/conf/stream'));
    assert.equal(await response.text(), 'a\nb\nc\n');
    return 'streamed body a,b,c';
  });

  pattern('runOnStartup timer with a durable client and a retry policy', async () => {
    await eventually(() => typeof state().timerStartedInstance === 'string');
    assert.equal(state().timerAttempts, 2);
    const done = await finished(String(state().timerStartedInstance));
    assert.equal(done.output, 'said said timer');
    return 'attempt 1 failed, retry 1 started an orchestration that completed';
  });

  pattern('blob trigger → blob/queue/table outputs → queue trigger with blob input → Service Bus output and trigger → table output → table input', async () => {
    const blobs = BlobServiceClient.fromConnectionString(storage.connectionString);
    const inbox = blobs.getContainerClient(names.CONF_IN);
    await inbox.createIfNotExists();
    await inbox.getBlockBlobClient('doc-1').upload('hello', 5);
    let row: { row?: { text?: string }; blobRows?: { RowKey: string; size: number }[] } = {};
    await eventually(async () => {
      row = (await (await fetch(api('/api/conf/rows/doc-1'))).json()) as typeof row;
      return row.row !== null && row.row !== undefined;
    }, 30_000);
    assert.equal(row.row?.text, 'hello');
    assert.deepEqual(row.blobRows?.map((r) => [r.RowKey, r.size]), [['doc-1', 5]]);
    const copy = await blobs.getContainerClient(names.CONF_OUT).getBlobClient('doc-1.copy').downloadToBuffer();
    assert.equal(copy.toString(), 'copy:hello');
    return 'every output written and every input read';
  });

  pattern('storage queue poison queue after maxDequeueCount', async () => {
    const queues = QueueServiceClient.fromConnectionString(storage.connectionString);
    const queue = queues.getQueueClient(names.CONF_POISON);
    await queue.createIfNotExists();
    await queue.sendMessage(Buffer.from('bad').toString('base64'));
    const poison = queues.getQueueClient(`${names.CONF_POISON}-poison`);
    await eventually(async () => (await poison.exists()) && (await poison.peekMessages()).peekedMessageItems.length === 1, 30_000);
    return 'moved to <queue>-poison after 5 attempts';
  });

  pattern('disabled functions (AzureWebJobs.<name>.Disabled)', async () => {
    assert.equal((await fetch(api('/api/conf/disabled'))).status, 404);
    const queue = QueueServiceClient.fromConnectionString(storage.connectionString).getQueueClient(names.CONF_DISABLED_QUEUE);
    await queue.createIfNotExists();
    await queue.sendMessage(Buffer.from('x').toString('base64'));
    await new Promise((resolve) => setTimeout(resolve, 1500));
    assert.equal(state().disabledRuns, 0);
    assert.equal((await queue.peekMessages()).peekedMessageItems.length, 1);
    return 'HTTP 404, queue message left unread';
  });

  pattern('durable chaining and fan-out/fan-in', async () => {
    const id = `chain-${s}`;
    await start('confChain', id, 'x');
    assert.equal((await finished(id)).output, 'said said x');
    await start('confFanOut', `fan-${s}`, null);
    assert.deepEqual((await finished(`fan-${s}`)).output, ['said 1', 'said 2', 'said 3']);
    return 'outputs as expected';
  });

  pattern('activities of different instances run concurrently', async () => {
    const ids = Array.from({ length: 5 }, (_, i) => `slow-${i}-${s}`);
    await Promise.all(ids.map((id) => start('confSlowOne', id, 500)));
    for (const id of ids) assert.equal((await finished(id)).output, 'slept');
    assert.ok(Number(state().maxRunning) > 1, `at most ${state().maxRunning} activity ran at once`);
    return `${state().maxRunning} of 5 activities ran at once`;
  });

  pattern('sub-orchestrations and continueAsNew', async () => {
    await start('confParent', `parent-${s}`, null);
    assert.deepEqual((await finished(`parent-${s}`)).output, { child: 'said said child', counted: 3 });
    return 'child output and continued-as-new result returned';
  });

  pattern('activity retry policy (callActivityWithRetry)', async () => {
    await start('confRetry', `retry-${s}`, 'k');
    assert.equal((await finished(`retry-${s}`)).output, 3);
    return 'succeeded on attempt 3';
  });

  pattern('external event racing a durable timer', async () => {
    await start('confRace', `race-event-${s}`, 60_000);
    await eventually(async () => (await fetch(durable(`instances/race-event-${s}`))).status === 202);
    const raised = await fetch(durable(`instances/race-event-${s}/raiseEvent/Approve`), {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify('yes'),
    });
    assert.equal(raised.status, 202);
    assert.deepEqual((await finished(`race-event-${s}`)).output, { winner: 'event', value: 'yes' });
    await start('confRace', `race-timer-${s}`, 300);
    assert.deepEqual((await finished(`race-timer-${s}`)).output, { winner: 'timer' });
    return 'event wins before the timer; timer wins without the event';
  });

  pattern('large payloads (1 MB input through an HTTP starter, 1.2 MB activity result)', async () => {
    const response = await fetch(api('/api/conf/start/confLarge'), { method: 'POST', body: JSON.stringify('y'.repeat(1_048_576)) });
    assert.equal(response.status, 202, await response.clone().text());
    const { id } = (await response.json()) as { id: string };
    const done = await finished(id);
    assert.equal(done.runtimeStatus, 'Completed');
    assert.deepEqual(done.output, { inputLength: 1_048_576, resultLength: 1_200_000 });
    return 'completed with both payloads intact (over 45 KB they live in <hub>-largemessages blobs)';
  });

  pattern('non-deterministic orchestrator fails', async () => {
    await start('confNonDeterministic', `nondet-${s}`, null);
    const done = await finished(`nondet-${s}`);
    assert.equal(done.runtimeStatus, 'Failed');
    assert.match(String(done.output), /Non-Deterministic workflow detected/);
    return String(done.output).slice(0, 120);
  });

  pattern('management API: rewind refused, restart supported', async () => {
    const rewind = await fetch(durable(`instances/chain-${s}/rewind`), { method: 'POST' });
    assert.equal(rewind.status, 501);
    const restarted = await fetch(durable(`instances/chain-${s}/restart`), { method: 'POST' });
    assert.equal(restarted.status, 202);
    const { id } = (await restarted.json()) as { id: string };
    assert.equal((await finished(id)).output, 'said said x');
    return 'rewind 501 with a message; restart ran the orchestration again under a new id';
  });

  pattern('unsupported features refused at start, naming the function', async () => {
    await assert.rejects(
      startHost({ appDir: tempAppDir(), main: appFile('unsupported-app'), port: 0, log: memoryHostLog(), settings: { AzureWebJobsStorage: storage.connectionString } }),
      (error: Error) => {
        for (const expected of [
          /"confCounterEntity": durable entities/, /"confCosmosOut": output binding "cosmosDB"/, /"confTopic": Service Bus topic/, /"confQueueRetry": a retry policy/,
        ]) assert.match(error.message, expected);
        return true;
      },
    );
    return 'entities, Cosmos output, SB topics, retry on a queue trigger';
  });
});
