/** Functions the local runtime refuses at start, each for a named reason (see runtime/bindings/support.ts). */
import { app, output } from '@azure/functions';
import * as df from 'durable-functions';

df.app.entity('confCounterEntity', (context) => context.df.return(1));
app.http('confCosmosOut', {
  route: 'conf/cosmos', extraOutputs: [output.cosmosDB({ databaseName: 'd', containerName: 'c', connection: 'C' })], handler: () => ({ status: 204 }),
});
app.serviceBusTopic('confTopic', { topicName: 't', subscriptionName: 's', connection: 'ServiceBusConnection', handler: () => undefined });
// The library registers `retry` for any trigger, although Azure runs it only for timer-like triggers.
const queueRetry = { retry: { strategy: 'fixedDelay', maxRetryCount: 1, delayInterval: { seconds: 1 } } };
app.storageQueue('confQueueRetry', { queueName: 'q', connection: 'AzureWebJobsStorage', handler: () => undefined, ...queueRetry });
