/**
 * The app `npm run bench -- runtime` runs on the local host: a 1 s activity per orchestration, and
 * blob, storage queue and Service Bus triggers that record when they were picked up
 * (on `globalThis.__runtimeBench`, read by bench/runtime.ts in the same process).
 */
import { app } from '@azure/functions';
import * as df from 'durable-functions';
import type { OrchestrationContext } from 'durable-functions';

const pickedUp: Map<string, number> = ((globalThis as { __runtimeBench?: Map<string, number> }).__runtimeBench ??= new Map());

df.app.activity('benchSleep', { handler: async (ms: unknown) => new Promise((resolve) => setTimeout(() => resolve('slept'), Number(ms))) });
df.app.orchestration('benchOneActivity', function* (context: OrchestrationContext) {
  return yield context.df.callActivity('benchSleep', 1000);
});

app.storageBlob('benchBlob', {
  path: '%BENCH_CONTAINER%/{name}', connection: 'AzureWebJobsStorage',
  handler: (_blob, context) => void pickedUp.set(`blob:${String(context.triggerMetadata?.name)}`, performance.now()),
});
app.storageQueue('benchQueue', {
  queueName: '%BENCH_QUEUE%', connection: 'AzureWebJobsStorage',
  handler: (message) => void pickedUp.set(`queue:${String(message)}`, performance.now()),
});
app.serviceBusQueue('benchServiceBus', {
  queueName: '%BENCH_SB%', connection: 'ServiceBusConnection',
  handler: (message) => void pickedUp.set(`sb:${String((message as { id: string }).id)}`, performance.now()),
});
