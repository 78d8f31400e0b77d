/**
 * Cross-checks the engine's sequence numbering against the SDK's own: a test
 * stand-in invoker (direct route: callback(triggerValue, new InvocationContext))
 * records, after every episode, the ids the SDK has open
 * (`context.df.taskOrchestratorExecutor.openTasks`, internal), and the test
 * compares their union with the ids the engine recorded in history.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import type { OrchestrationContext, OrchestrationHandler } from 'durable-functions';
import { memoryHostLog } from '../../../runtime/host-log';
import type { Invoker, InvokeRequest, InvokeResult } from '../../../runtime/types';
import { DurableEngine } from '../../../runtime/durable/engine';
import { startInstance, control } from '../../../runtime/durable/instances';
import { DurableStore } from '../../../runtime/durable/store';
import { EventType } from '../../../runtime/durable/history';
import { useAzurite, uniqueSuffix, type TestStorage } from '../local-storage';
import { uniqueHub } from './durable-host';

// No typings for the SDK's test helper; it wraps a generator like df.app.orchestration does.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { createOrchestrator } = require('durable-functions/lib/src/util/testingUtils') as {
  createOrchestrator(fn: OrchestrationHandler): (trigger: unknown, context: InvocationContext) => Promise<unknown>;
};

type Kind = 'activity' | 'subOrchestration' | 'timer' | 'retry';
interface SdkTask { actionObj?: { actionType?: number } }

function kindOf(task: SdkTask): Kind {
  const type = task.actionObj?.actionType;
  if (type === 0 || type === 1) return 'activity';
  if (type === 2 || type === 3) return 'subOrchestration';
  if (type === 5) return 'timer';
  return 'retry'; // RetryableTask's NoOp children: a retry timer or the next attempt
}

const at = (c: OrchestrationContext, ms: number): Date => new Date(c.df.currentUtcDateTime.getTime() + ms);
const failures = new Map<string, number>();

const orchestrators: Record<string, OrchestrationHandler> = {
  *Tricky(c) {
    const results: unknown[] = [];
    // Retry inside Task.any against a timer, then inside Task.all next to a plain activity.
    const retry = c.df.callActivityWithRetry('FailTwice', new df.RetryOptions(20, 3), `${c.df.instanceId}-b`);
    const timer = c.df.createTimer(at(c, 5000));
    const first: unknown = yield c.df.Task.any([retry, timer]);
    if (first === retry) timer.cancel();
    results.push(retry.result);
    try {
      yield c.df.Task.all([c.df.callActivity('Echo', 'y'), c.df.callActivityWithRetry('Fail', new df.RetryOptions(20, 2), 'z')]);
    } catch (error) {
      results.push((error as Error).message);
    }
    // An event raised before the wait, waited on twice; a Task.any where the event wins.
    results.push(yield c.df.waitForExternalEvent('Ping'));
    const ping = c.df.waitForExternalEvent('Ping');
    const idle = c.df.createTimer(at(c, 60_000));
    if ((yield c.df.Task.any([ping, idle])) === ping) idle.cancel();
    results.push(ping.result);
    // A split long timer followed by a sub-orchestration with retry that keeps failing.
    yield c.df.createTimer(at(c, 700));
    try {
      yield c.df.callSubOrchestratorWithRetry('Broken', new df.RetryOptions(20, 2), 'in');
    } catch (error) {
      results.push((error as Error).message);
    }
    results.push(yield c.df.Task.all([c.df.callSubOrchestrator('Leaf', 1), c.df.callActivity('Echo', 'w')]));
    return results;
  },
  *Broken() {
    yield* [];
    throw new Error('broken child');
  },
  *Leaf(c) {
    return yield c.df.callActivity('Echo', c.df.getInput());
  },
};

const activities: Record<string, (input: unknown) => unknown> = {
  Echo: (input) => input,
  Fail: () => {
    throw new Error('always');
  },
  FailTwice: (key) => {
    const n = (failures.get(String(key)) ?? 0) + 1;
    failures.set(String(key), n);
    if (n <= 2) throw new Error(`attempt ${n}`);
    return `ok after ${n}`;
  },
};

/** Test stand-in for the host's invoker: direct route, plus a record of the SDK's open task ids. */
class DirectInvoker implements Invoker {
  readonly sdkIds = new Map<string, Map<number, Kind>>();

  async invoke(request: InvokeRequest): Promise<InvokeResult> {
    const activity = activities[request.functionName];
    if (activity) return { returnValue: activity(request.triggerValue), outputs: {}, durationMs: 0 };
    const fn = orchestrators[request.functionName];
    if (!fn) throw new Error(`no function ${request.functionName}`);
    const context = new InvocationContext({ functionName: request.functionName });
    const trigger = request.triggerValue as { instanceId: string };
    try {
      return { returnValue: await createOrchestrator(fn)(trigger, context), outputs: {}, durationMs: 0 };
    } finally {
      const df = (context as unknown as { df?: { taskOrchestratorExecutor: { openTasks: Record<string, SdkTask> } } }).df;
      const ids = this.sdkIds.get(trigger.instanceId) ?? new Map<number, Kind>();
      for (const [id, task] of Object.entries(df?.taskOrchestratorExecutor.openTasks ?? {})) {
        if (/^\d+$/.test(id)) ids.set(Number(id), kindOf(task));
      }
      this.sdkIds.set(trigger.instanceId, ids);
    }
  }
}

describe('sequence numbering cross-check', () => {
  let storage: TestStorage;
  let store: DurableStore;
  let engine: DurableEngine;
  const invoker = new DirectInvoker();

  before(async () => {
    storage = await useAzurite();
    store = new DurableStore(storage.connectionString, uniqueHub());
    await store.init();
    engine = new DurableEngine(store, invoker, memoryHostLog(), {
      pollIntervalMs: 20, maxConcurrentActivities: 4,
      limits: { maximumShortTimerMs: 300, longRunningTimerIntervalMs: 200 },
      timerDurations: { maximumShortTimerDuration: '0.00:00:00.300', longRunningTimerIntervalDuration: '0.00:00:00.200' },
    });
    engine.start();
  });
  after(async () => {
    await engine?.stop();
    await storage?.stop();
  });

  async function finished(instanceId: string): Promise<NonNullable<Awaited<ReturnType<DurableStore['getInstance']>>>['record']> {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const loaded = await store.getInstance(instanceId);
      if (loaded && ['Completed', 'Failed', 'Terminated'].includes(loaded.record.status)) return loaded.record;
      if (Date.now() > deadline) throw new Error(`${instanceId} stuck: ${JSON.stringify(loaded?.record.exec)}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  it('should number every task exactly as the SDK does', async () => {
    const instanceId = `tricky-${uniqueSuffix()}`;
    assert.equal(await startInstance(store, { name: 'Tricky', instanceId }, new Date()), 'started');
    await control.raiseEvent(store, instanceId, 'Ping', '"early"', new Date());
    await control.raiseEvent(store, instanceId, 'Ping', '"second"', new Date());
    engine.kick();
    const record = await finished(instanceId);
    assert.equal(record.status, 'Completed', record.output);
    assert.deepEqual(JSON.parse(record.output ?? 'null'), [
      'ok after 3',
      'Error: always',
      'early',
      'second',
      'Error: broken child',
      [1, 'w'],
    ]);

    const events = await store.readHistory(instanceId, record.executionId, record.episodes);
    const engineIds = new Map<number, Kind>();
    const kinds: Record<number, Kind> = {
      [EventType.TaskScheduled]: 'activity', [EventType.SubOrchestrationInstanceCreated]: 'subOrchestration', [EventType.TimerCreated]: 'timer',
    };
    for (const e of events) {
      const kind = kinds[e.EventType];
      if (kind) engineIds.set(e.EventId, kind);
    }
    const sdkIds = invoker.sdkIds.get(instanceId) ?? new Map<number, Kind>();
    assert.deepEqual([...engineIds.keys()].sort((a, b) => a - b), [...sdkIds.keys()].sort((a, b) => a - b));
    for (const [id, kind] of sdkIds) if (kind !== 'retry') assert.equal(engineIds.get(id), kind, `task ${id}`);
  });
});
