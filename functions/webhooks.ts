import { app, type InvocationContext } from '@azure/functions';
import { CONNECTIONS, FUNCTIONS, QUEUES } from '../shared/names';
import { contextLogger } from '../shared/http/context-logger';
import { deliverWebhook } from '../shared/webhooks';
import { webhookDeliveryDeps } from '../shared/wiring/webhooks';

// One signed POST per message; failures schedule the next attempt, the last one throws to dead-letter.
app.serviceBusQueue(FUNCTIONS.deliverWebhooks, {
  queueName: QUEUES.webhooks,
  connection: CONNECTIONS.serviceBus,
  handler: async (message: unknown, context: InvocationContext) => {
    const deps = await webhookDeliveryDeps(contextLogger(context, context.invocationId));
    const result = await deliverWebhook(message, deps);
    context.log(`webhook: ${result.outcome}`);
  },
});
