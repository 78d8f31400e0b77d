import { app } from '@azure/functions';
import { FUNCTIONS, QUEUES } from '../shared/names';
import { httpHandler, json } from '../shared/http';
import { blobService } from '../shared/platform/blob';
import { cosmosDatabase } from '../shared/platform/cosmos';
import { checkHealth } from '../shared/platform/health';
import { serviceBus } from '../shared/platform/service-bus';

app.http(FUNCTIONS.health, {
  route: 'health',
  methods: ['GET'],
  authLevel: 'anonymous',
  handler: httpHandler({ auth: 'anonymous' }, async () => {
    const report = await checkHealth({
      blob: () => blobService().getProperties(),
      queue: () => serviceBus().activeMessageCount(QUEUES.faces),
      cosmos: async () => (await cosmosDatabase()).read(),
    });
    return json(report.status === 'healthy' ? 200 : 503, report);
  }),
});
