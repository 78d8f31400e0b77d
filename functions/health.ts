import { app } from '@azure/functions';
import { apiRoute } from '../shared/http/api-route';
import { FUNCTIONS } from '../shared/names';
import { httpHandler, json } from '../shared/http';
import { blobContainer } from '../shared/platform/blob';
import { cosmosDatabase } from '../shared/platform/cosmos';
import { checkHealth } from '../shared/platform/health';
import { dependencyProbes } from '../shared/platform/health-probes';
import { serviceBus } from '../shared/platform/service-bus';

app.http(FUNCTIONS.health, {
  route: apiRoute('health'),
  methods: ['GET'],
  authLevel: 'anonymous',
  handler: httpHandler({ auth: 'anonymous' }, async () => {
    const report = await checkHealth(dependencyProbes({ container: blobContainer, broker: serviceBus, database: cosmosDatabase }));
    return json(report.status === 'healthy' ? 200 : 503, report);
  }),
});
