import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { useAzurite, uniqueSuffix, type TestStorage } from '../local-storage';
import { startDurableHost, type DurableTestHost } from './durable-host';

describe('durable engine', () => {
  let storage: TestStorage;
  let t: DurableTestHost;
  const id = (label: string): string => `${label}-${uniqueSuffix()}`;

  before(async () => {
    storage = await useAzurite();
    // Short split limits so the long-timer path runs in a test.
    t = await startDurableHost(storage, { maximumShortTimerDuration: '0.00:00:01', longRunningTimerIntervalDuration: '0.00:00:00.400' });
  });
  after(async () => {
    await t?.host.stop();
    await storage?.stop();
  });

  it('should run activities and Task.all to the right output', async () => {
    const instanceId = id('fan');
    assert.equal((await t.start('FanOut', instanceId)).status, 202);
    const done = await t.waitFor(instanceId);
    assert.equal(done.runtimeStatus, 'Completed');
    assert.deepEqual(done.output, ['Hello a', 'Hello b', 'Hello [object Object]']);
  });

  it('should retry a failing activity and complete', async () => {
    const instanceId = id('retry');
    await t.start('RetryOk', instanceId, 'k1');
    const done = await t.waitFor(instanceId);
    assert.equal(done.runtimeStatus, 'Completed');
    assert.deepEqual(done.output, { key: 'k1', attempt: 2 });
    const { body } = await t.status(instanceId, '?showHistory=true');
    const types = (body?.history ?? []).map((e) => e.EventType).filter((e) => /^(Task|Timer)/.test(e));
    assert.deepEqual(types, ['TaskScheduled', 'TaskFailed', 'TimerCreated', 'TimerFired', 'TaskScheduled', 'TaskCompleted']);
  });

  it('should surface TaskFailedError after the configured attempts', async () => {
    const instanceId = id('exhaust');
    await t.start('RetryExhausted', instanceId);
    const done = await t.waitFor(instanceId);
    assert.equal(done.runtimeStatus, 'Completed');
    assert.deepEqual(done.output, { name: 'TaskFailedError', message: 'TypeError: bad', errorType: 'TypeError' });
    const { body } = await t.status(instanceId, '?showHistory=true');
    assert.equal((body?.history ?? []).filter((e) => e.EventType === 'TaskFailed').length, 2);
  });

  it('should fire a durable timer', async () => {
    const instanceId = id('sleep');
    await t.start('Sleeper', instanceId, 200);
    assert.equal((await t.waitFor(instanceId)).output, 'woke');
  });

  it('should split a long timer into segments and fire it once', async () => {
    const instanceId = id('long');
    await t.start('Sleeper', instanceId, 1500);
    assert.equal((await t.waitFor(instanceId)).output, 'woke');
    const { body } = await t.status(instanceId, '?showHistory=true');
    const fired = (body?.history ?? []).filter((e) => e.EventType === 'TimerFired').length;
    assert.ok(fired >= 2, `expected several timer segments, saw ${fired}`);
  });

  it('should deliver external events raised before and after the wait, FIFO', async () => {
    const instanceId = id('approve');
    await t.start('Approval', instanceId);
    const running = await t.waitFor(instanceId, ['Running']);
    assert.equal(running.customStatus, 'waiting');
    assert.equal((await t.post(`instances/${instanceId}/raiseEvent/Approve`, 'first')).status, 202);
    assert.equal((await t.post(`instances/${instanceId}/raiseEvent/Approve`, 'second')).status, 202);
    const done = await t.waitFor(instanceId);
    assert.deepEqual(done.output, ['first', 'second']);
    assert.equal(done.customStatus, 'done');
    assert.equal((await t.post(`instances/${instanceId}/raiseEvent/Approve`, 'late')).status, 410);
  });

  it('should buffer an event raised before the orchestrator waits', async () => {
    const instanceId = id('early');
    await t.start('Race', instanceId, 60_000);
    await t.post(`instances/${instanceId}/raiseEvent/Go`, { early: true });
    const done = await t.waitFor(instanceId);
    assert.deepEqual(done.output, { event: { early: true }, after: 'Hello after-event' });
  });

  it('should let the timer win Task.any when no event comes', async () => {
    const instanceId = id('timeout');
    await t.start('Race', instanceId, 150);
    assert.equal((await t.waitFor(instanceId)).output, 'timeout');
  });

  it('should run sub-orchestrations, with and without retry', async () => {
    const instanceId = id('parent');
    await t.start('Parent', instanceId);
    const done = await t.waitFor(instanceId);
    assert.equal(done.runtimeStatus, 'Completed');
    const output = done.output as { child: unknown; generated: unknown; failure: string };
    assert.deepEqual(output.child, { greeting: 'Hello kid', parent: instanceId });
    assert.deepEqual(output.generated, { greeting: 'Hello anon', parent: instanceId });
    assert.match(output.failure, /child broke/);
    const child = await t.status(`${instanceId}-child`);
    assert.equal(child.body?.runtimeStatus, 'Completed');
  });

  it('should run the orchestration, its activities and sub-orchestrations in the trace of the start request', async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const starter = `00-${traceId}-00f067aa0ba902b7-01`;
    const instanceId = id('traced');
    const started = await fetch(`${t.api}/orchestrators/Traced/${instanceId}`, { method: 'POST', headers: { traceparent: starter }, body: '' });
    assert.equal(started.status, 202);
    const done = await t.waitFor(instanceId);
    assert.equal(done.runtimeStatus, 'Completed');
    const out = done.output as { orchestrator: string; activity: string; child: { orchestrator: string; activity: string } };
    const seen = [out.orchestrator, out.activity, out.child.orchestrator, out.child.activity];
    for (const traceparent of seen) assert.match(traceparent, new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`));
    // Each is a span of its own, none the starter's.
    assert.equal(new Set([...seen, starter]).size, 5);

    const untraced = id('untraced');
    await t.start('TracedChild', untraced);
    const root = (await t.waitFor(untraced)).output as { orchestrator: string; activity: string };
    assert.match(root.orchestrator, /^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    assert.equal(root.activity.split('-')[1], root.orchestrator.split('-')[1], 'the activity joins the orchestration\'s new root trace');
  });

  it('should continueAsNew until done', async () => {
    const instanceId = id('counter');
    await t.start('Counter', instanceId, 0);
    const done = await t.waitFor(instanceId);
    assert.equal(done.output, 3);
    assert.equal(done.input, 3);
  });

  it('should answer 409 to a duplicate start of a running instance and 404 for unknown ones', async () => {
    const instanceId = id('dup');
    assert.equal((await t.start('Waiter', instanceId)).status, 202);
    assert.equal((await t.start('Waiter', instanceId)).status, 409);
    assert.equal((await t.status(`missing-${uniqueSuffix()}`)).httpStatus, 404);
    assert.equal((await t.start('NoSuchOrchestrator', id('nosuch'))).status, 400);
  });

  it('should terminate, refuse to purge a running instance, then purge it', async () => {
    const instanceId = id('term');
    await t.start('Waiter', instanceId);
    await t.waitFor(instanceId, ['Running']);
    const purgeRunning = await fetch(`${t.api}/instances/${instanceId}`, { method: 'DELETE' });
    assert.equal(purgeRunning.status, 412);
    assert.equal((await t.post(`instances/${instanceId}/terminate?reason=stop%20it`)).status, 202);
    const done = await t.waitFor(instanceId);
    assert.equal(done.runtimeStatus, 'Terminated');
    assert.equal(done.output, 'stop it');
    const purged = await fetch(`${t.api}/instances/${instanceId}`, { method: 'DELETE' });
    assert.deepEqual(await purged.json(), { instancesDeleted: 1 });
    assert.equal((await t.status(instanceId)).httpStatus, 404);
  });

  it('should suspend and resume, holding events meanwhile', async () => {
    const instanceId = id('susp');
    await t.start('Approval', instanceId);
    await t.waitFor(instanceId, ['Running']);
    assert.equal((await t.post(`instances/${instanceId}/suspend?reason=hold`)).status, 202);
    await t.waitFor(instanceId, ['Suspended']);
    await t.post(`instances/${instanceId}/raiseEvent/Approve`, 1);
    await t.post(`instances/${instanceId}/raiseEvent/Approve`, 2);
    assert.equal((await t.status(instanceId)).body?.runtimeStatus, 'Suspended');
    assert.equal((await t.post(`instances/${instanceId}/resume?reason=go`)).status, 202);
    assert.deepEqual((await t.waitFor(instanceId)).output, [1, 2]);
  });

  it('should fail an orchestration that uses an unsupported action with a clear error', async () => {
    const instanceId = id('http');
    await t.start('UsesHttp', instanceId);
    const done = await t.waitFor(instanceId);
    assert.equal(done.runtimeStatus, 'Failed');
    assert.match(String(done.output), /callHttp is not supported by the local durable runtime/);
    assert.match(String(done.output), /'UsesHttp'/); // names the orchestrator
  });

  it('should fail an orchestration that calls an entity, naming the orchestrator and the feature', async () => {
    const instanceId = id('entity');
    await t.start('UsesEntity', instanceId);
    const done = await t.waitFor(instanceId);
    assert.equal(done.runtimeStatus, 'Failed');
    assert.match(String(done.output), /Orchestrator function 'UsesEntity' failed: callEntity is not supported by the local durable runtime/);
  });
});
