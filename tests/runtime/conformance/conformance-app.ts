/**
 * The runtime's conformance app: one function per pattern the local host must run as Azure does,
 * written against the public @azure/functions and durable-functions APIs only. Names of queues,
 * containers and tables come from settings (%CONF_*%) so every run uses its own. What the test
 * cannot see from outside (attempt counts, concurrency) is recorded on `globalThis.__conformance`.
 */
import { Readable } from 'node:stream';
import { app, input, output, type HttpRequest, type InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import type { OrchestrationContext } from 'durable-functions';

app.setup({ enableHttpStream: true });

interface ConformanceState {
  timerAttempts: number;
  timerStartedInstance?: string;
  running: number;
  maxRunning: number;
  nonDeterministicRuns: number;
  disabledRuns: number;
}
const state: ConformanceState = ((globalThis as { __conformance?: ConformanceState }).__conformance ??= {
  timerAttempts: 0, running: 0, maxRunning: 0, nonDeterministicRuns: 0, disabledRuns: 0,
});

// ── HTTP ────────────────────────────────────────────────────────────────────
app.http('confHello', {
  methods: ['GET'], route: 'conf/hello/{who}',
  handler: (request: HttpRequest) => ({ jsonBody: { hello: request.params.who, q: request.query.get('q') } }),
});

app.http('confStream', {
  methods: ['GET'], route: 'conf/stream',
  handler: () => ({ body: Readable.from(['a\n', 'b\n', 'c\n']) }),
});

app.http('confDisabled', { methods: ['GET'], route: 'conf/disabled', handler: () => ({ body: 'should not run' }) });

// ── blob trigger → blob, queue and table outputs → queue trigger with blob input → Service Bus → table ──
const copyOut = output.storageBlob({ path: '%CONF_OUT%/{name}.copy', connection: 'AzureWebJobsStorage' });
const noticeOut = output.storageQueue({ queueName: '%CONF_QUEUE%', connection: 'AzureWebJobsStorage' });
const seenOut = output.table({ tableName: '%CONF_TABLE%', connection: 'AzureWebJobsStorage' });
app.storageBlob('confBlobIn', {
  path: '%CONF_IN%/{name}', connection: 'AzureWebJobsStorage', extraOutputs: [copyOut, noticeOut, seenOut],
  handler: (blob: unknown, context: InvocationContext) => {
    const name = String(context.triggerMetadata?.name);
    context.extraOutputs.set(copyOut, Buffer.concat([Buffer.from('copy:'), blob as Buffer]));
    context.extraOutputs.set(noticeOut, { name });
    context.extraOutputs.set(seenOut, { PartitionKey: 'blob', RowKey: name, size: (blob as Buffer).length });
  },
});

const originalIn = input.storageBlob({ path: '%CONF_IN%/{name}', connection: 'AzureWebJobsStorage' });
app.storageQueue('confQueueIn', {
  queueName: '%CONF_QUEUE%', connection: 'AzureWebJobsStorage', extraInputs: [originalIn],
  return: output.serviceBusQueue({ queueName: '%CONF_SB%', connection: 'ServiceBusConnection' }),
  handler: (message: unknown, context: InvocationContext) => {
    const original = context.extraInputs.get(originalIn) as Buffer | null;
    return { name: (message as { name: string }).name, text: original?.toString('utf8'), dequeueCount: context.triggerMetadata?.dequeueCount };
  },
});

app.serviceBusQueue('confServiceBusIn', {
  queueName: '%CONF_SB%', connection: 'ServiceBusConnection',
  return: output.table({ tableName: '%CONF_TABLE%', connection: 'AzureWebJobsStorage' }),
  handler: (message: unknown) => {
    const body = message as { name: string; text?: string };
    return { PartitionKey: 'sb', RowKey: body.name, text: body.text };
  },
});

const rowIn = input.table({ tableName: '%CONF_TABLE%', partitionKey: 'sb', rowKey: '{name}', connection: 'AzureWebJobsStorage' });
const sizesIn = input.table({ tableName: '%CONF_TABLE%', filter: "PartitionKey eq 'blob'", take: 50, connection: 'AzureWebJobsStorage' });
app.http('confRow', {
  methods: ['GET'], route: 'conf/rows/{name}', extraInputs: [rowIn, sizesIn],
  handler: (_request: HttpRequest, context: InvocationContext) => ({
    jsonBody: { row: context.extraInputs.get(rowIn), blobRows: context.extraInputs.get(sizesIn) },
  }),
});

app.storageQueue('confPoison', {
  queueName: '%CONF_POISON%', connection: 'AzureWebJobsStorage',
  handler: () => {
    throw new Error('always fails');
  },
});

app.storageQueue('confDisabledQueue', {
  queueName: '%CONF_DISABLED_QUEUE%', connection: 'AzureWebJobsStorage',
  handler: () => {
    state.disabledRuns++;
  },
});

// ── timers: runOnStartup with a durable client, retried by a function-level retry policy ──
app.timer('confStartupTimer', {
  schedule: '0 0 0 1 1 *', runOnStartup: true, extraInputs: [df.input.durableClient()],
  retry: { strategy: 'fixedDelay', maxRetryCount: 2, delayInterval: { seconds: 0 } },
  handler: async (_timer: unknown, context: InvocationContext) => {
    state.timerAttempts++;
    if (context.retryContext?.retryCount === 0) throw new Error('first attempt fails; the retry policy runs it again');
    state.timerStartedInstance = await df.getClient(context).startNew('confChain', { input: 'timer' });
  },
});

// ── durable ─────────────────────────────────────────────────────────────────
df.app.activity('confSay', { handler: (what: unknown) => `said ${String(what)}` });
df.app.activity('confSlow', {
  handler: async (ms: unknown) => {
    state.running++;
    state.maxRunning = Math.max(state.maxRunning, state.running);
    await new Promise((resolve) => setTimeout(resolve, Number(ms)));
    state.running--;
    return 'slept';
  },
});
const flaky = new Map<string, number>();
df.app.activity('confFlaky', {
  handler: (key: unknown) => {
    const attempt = (flaky.get(String(key)) ?? 0) + 1;
    flaky.set(String(key), attempt);
    if (attempt < 3) throw new Error(`attempt ${attempt} fails`);
    return attempt;
  },
});
df.app.activity('confBig', { handler: (size: unknown) => 'x'.repeat(Number(size)) });
df.app.activity('confLength', { handler: (text: unknown) => String(text).length });

df.app.orchestration('confChain', function* (context: OrchestrationContext) {
  const a: string = yield context.df.callActivity('confSay', context.df.getInput());
  const b: string = yield context.df.callActivity('confSay', a);
  return b;
});

df.app.orchestration('confFanOut', function* (context: OrchestrationContext) {
  const parts: string[] = yield context.df.Task.all([1, 2, 3].map((n) => context.df.callActivity('confSay', n)));
  return parts;
});

df.app.orchestration('confSlowOne', function* (context: OrchestrationContext) {
  return yield context.df.callActivity('confSlow', context.df.getInput());
});

df.app.orchestration('confParent', function* (context: OrchestrationContext) {
  const child: string = yield context.df.callSubOrchestrator('confChain', 'child');
  const counted: number[] = yield context.df.callSubOrchestrator('confCounter', 0);
  return { child, counted };
});

df.app.orchestration('confCounter', function* (context: OrchestrationContext) {
  const n = context.df.getInput<number>();
  if (n < 3) {
    context.df.continueAsNew(n + 1);
    return undefined;
  }
  return n;
});

df.app.orchestration('confRetry', function* (context: OrchestrationContext) {
  return yield context.df.callActivityWithRetry('confFlaky', new df.RetryOptions(50, 5), context.df.getInput());
});

df.app.orchestration('confRace', function* (context: OrchestrationContext) {
  const ms = context.df.getInput<number>();
  const timer = context.df.createTimer(new Date(context.df.currentUtcDateTime.getTime() + ms));
  const event = context.df.waitForExternalEvent('Approve');
  const winner: unknown = yield context.df.Task.any([event, timer]);
  if (winner === event) {
    timer.cancel();
    return { winner: 'event', value: event.result };
  }
  return { winner: 'timer' };
});

df.app.orchestration('confLarge', function* (context: OrchestrationContext) {
  const input = context.df.getInput<string>();
  const big: string = yield context.df.callActivity('confBig', 1_200_000);
  const length: number = yield context.df.callActivity('confLength', input);
  return { inputLength: length, resultLength: big.length };
});

df.app.orchestration('confNonDeterministic', function* (context: OrchestrationContext) {
  // Deliberately wrong: the first run schedules one activity, every replay another.
  const first = state.nonDeterministicRuns++ === 0;
  yield context.df.callActivity(first ? 'confSay' : 'confLength', 'x');
  return 'unreachable';
});

app.http('confStart', {
  methods: ['POST'], route: 'conf/start/{name}', extraInputs: [df.input.durableClient()],
  handler: async (request: HttpRequest, context: InvocationContext) => {
    const client = df.getClient(context);
    const instanceId = await client.startNew(request.params.name ?? '', { input: await request.json() });
    return client.createCheckStatusResponse(request, instanceId);
  },
});
