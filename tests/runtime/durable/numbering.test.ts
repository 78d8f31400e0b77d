import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { history } from '../../../runtime/durable/history';
import {
  allocateForActions, allocateForEvent, canceledTimerIds, decodeActionInput, retryDelayMs, UnsupportedActionError, type RawAction,
} from '../../../runtime/durable/numbering';
import { newExecutionState } from '../../../runtime/durable/state';
import { timeSpanMs } from '../../../runtime/durable/index';
import { tableNamesFor } from '../../../runtime/durable/store';
import { invalidInstanceId } from '../../../runtime/durable/http-api';

const limits = { maximumShortTimerMs: 10_000, longRunningTimerIntervalMs: 4_000 };
const t0 = new Date('2026-01-01T00:00:00Z');
const later = (ms: number): Date => new Date(t0.getTime() + ms);
const failure = { ErrorType: 'Error', ErrorMessage: 'x', IsNonRetriable: false };

describe('numbering', () => {
  it('should number compound children depth-first and skip external events', () => {
    const exec = newExecutionState();
    const actions: RawAction[] = [
      { actionType: 0, functionName: 'A', input: '"s"' },
      { actionType: 12, compoundActions: [
        { actionType: 6 },
        { actionType: 11, compoundActions: [{ actionType: 5, fireAt: later(1000).toISOString() }, { actionType: 2, functionName: 'S' }] },
        { actionType: 0, functionName: 'B', input: { n: 1 } },
      ] },
    ];
    const alloc = allocateForActions(exec, actions, t0, limits, 'parent');
    assert.deepEqual(alloc.decisions.map((e) => [e.EventType, e.EventId]), [[4, 0], [10, 1], [7, 2], [4, 3]]);
    assert.deepEqual(alloc.work[0], { kind: 'activity', taskId: 0, name: 'A', input: 's' });
    assert.deepEqual(alloc.work[2], { kind: 'subOrchestration', taskId: 2, name: 'S', input: undefined, instanceId: 'parent:0002' });
    assert.equal(exec.actionCursor, 2);
    assert.equal(allocateForActions(exec, actions, t0, limits, 'parent').decisions.length, 0, 'old actions are not renumbered');
  });

  it('should follow a retried activity: task n, timer n+1, attempt n+2, and a timer after the last attempt', () => {
    const exec = newExecutionState();
    const policy = { firstRetryIntervalInMilliseconds: 100, maxNumberOfAttempts: 2, backoffCoefficient: 2 };
    allocateForActions(exec, [{ actionType: 1, functionName: 'F', retryOptions: policy }], t0, limits, 'i');
    const timer1 = allocateForEvent(exec, history.taskFailed(t0, 0, failure), t0, limits, 'i');
    assert.deepEqual(timer1.work, [{ kind: 'timer', taskId: 1, fireAt: later(100) }]);
    const attempt2 = allocateForEvent(exec, history.timerFired(later(100), 1, later(100)), later(100), limits, 'i');
    assert.deepEqual(attempt2.work, [{ kind: 'activity', taskId: 2, name: 'F', input: undefined }]);
    const timer2 = allocateForEvent(exec, history.taskFailed(later(100), 2, failure), later(100), limits, 'i');
    assert.deepEqual(timer2.work, [{ kind: 'timer', taskId: 3, fireAt: later(100) }], 'no delay after the last attempt');
    const done = allocateForEvent(exec, history.timerFired(later(100), 3, later(100)), later(100), limits, 'i');
    assert.deepEqual(done.work, []);
    assert.deepEqual(exec.retries, {});
  });

  it('should fail further attempts at once when the retry timeout has run out', () => {
    const exec = newExecutionState();
    const policy = { firstRetryIntervalInMilliseconds: 100, maxNumberOfAttempts: 5, retryTimeoutInMilliseconds: 50 };
    allocateForActions(exec, [{ actionType: 1, functionName: 'F', retryOptions: policy }], t0, limits, 'i');
    const timer = allocateForEvent(exec, history.taskFailed(later(60), 0, failure), later(60), limits, 'i');
    assert.deepEqual(timer.work, [{ kind: 'timer', taskId: 1, fireAt: later(60) }], 'a 0 ms timer, not a wait');
    const attempt = allocateForEvent(exec, history.timerFired(later(60), 1, later(60)), later(60), limits, 'i');
    assert.deepEqual(attempt.work, [{ kind: 'retryExpired', taskId: 2 }]);
  });

  it('should split a long timer and number each segment', () => {
    const exec = newExecutionState();
    allocateForActions(exec, [{ actionType: 5, fireAt: later(9_000 + 10_000).toISOString() }], t0, limits, 'i');
    assert.equal(exec.tasks[0]?.kind === 'timer' && exec.tasks[0].fireAt, later(4_000).toISOString());
    const next = allocateForEvent(exec, history.timerFired(later(4_000), 0, later(4_000)), later(4_000), limits, 'i');
    assert.deepEqual(next.work, [{ kind: 'timer', taskId: 1, fireAt: later(8_000) }]);
    const last = allocateForEvent(exec, history.timerFired(later(8_000), 1, later(8_000)), later(8_000), limits, 'i');
    assert.deepEqual(last.work, [{ kind: 'timer', taskId: 2, fireAt: later(12_000) }]);
    const final = allocateForEvent(exec, history.timerFired(later(12_000), 2, later(12_000)), later(12_000), limits, 'i');
    assert.deepEqual(final.work, [{ kind: 'timer', taskId: 3, fireAt: later(19_000) }], 'the rest fits in one timer');
    const fired = allocateForEvent(exec, history.timerFired(later(19_000), 3, later(19_000)), later(19_000), limits, 'i');
    assert.deepEqual(fired.work, []);
  });

  it('should find cancelled timers by their action path', () => {
    const exec = newExecutionState();
    const actions: RawAction[] = [{ actionType: 11, compoundActions: [{ actionType: 6 }, { actionType: 5, fireAt: later(1).toISOString() }] }];
    allocateForActions(exec, actions, t0, limits, 'i');
    assert.deepEqual(canceledTimerIds(exec, actions), []);
    const cancelled: RawAction[] = [{ actionType: 11, compoundActions: [{ actionType: 6 }, { actionType: 5, isCanceled: true }] }];
    assert.deepEqual(canceledTimerIds(exec, cancelled), [0]);
  });

  it('should reject entity and HTTP actions with a clear error', () => {
    for (const actionType of [7, 8, 9, 13]) {
      assert.throws(() => allocateForActions(newExecutionState(), [{ actionType }], t0, limits, 'i'), UnsupportedActionError);
    }
    assert.throws(() => allocateForActions(newExecutionState(), [{ actionType: 8 }], t0, limits, 'i'), /callHttp is not supported/);
  });

  it('should compute retry delays with backoff and cap', () => {
    const policy = { firstRetryIntervalInMilliseconds: 100, maxNumberOfAttempts: 5, backoffCoefficient: 3, maxRetryIntervalInMilliseconds: 500 };
    assert.deepEqual([1, 2, 3].map((n) => retryDelayMs(policy, n)), [100, 300, 500]);
  });

  it('should decode JSON-encoded string inputs only', () => {
    assert.equal(decodeActionInput('"x"'), 'x');
    assert.deepEqual(decodeActionInput({ a: 1 }), { a: 1 });
    assert.equal(decodeActionInput('not json'), 'not json');
  });
});

describe('durable naming and parsing', () => {
  it('should parse .NET TimeSpan text', () => {
    assert.equal(timeSpanMs('6.00:00:00'), 6 * 86_400_000);
    assert.equal(timeSpanMs('0.00:00:00.400'), 400);
    assert.throws(() => timeSpanMs('5 minutes'));
  });

  it('should derive table names from the hub and reject bad hubs', () => {
    assert.deepEqual(tableNamesFor('VouchHub'), { instances: 'VouchHubInstances', history: 'VouchHubHistory', workItems: 'VouchHubWorkItems' });
    assert.throws(() => tableNamesFor('1hub'));
  });

  it('should refuse instance ids that cannot be table keys', () => {
    assert.equal(invalidInstanceId('order-42'), undefined);
    assert.match(invalidInstanceId('a/b') ?? '', /cannot contain/);
    assert.match(invalidInstanceId('') ?? '', /1-100/);
  });
});
