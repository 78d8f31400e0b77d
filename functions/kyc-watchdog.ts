import { app, type InvocationContext } from '@azure/functions';
import { COSMOS_CONTAINERS, FUNCTIONS } from '../shared/names';
import { contextLogger } from '../shared/http/context-logger';
import { cosmosStalledQuery, failStalledVerifications } from '../shared/kyc/stalled-verifications';
import { cosmosContainer } from '../shared/platform/cosmos';
import { pipelineDeps } from '../shared/wiring/kyc';

// No verification stays pending forever, whatever got lost on the way (see stalled-verifications.ts).
app.timer(FUNCTIONS.failStalledVerifications, {
  schedule: '%KYC_STALLED_SCHEDULE%',
  handler: async (_timer: unknown, context: InvocationContext) => {
    const deps = await pipelineDeps(contextLogger(context, context.invocationId));
    const { failed } = await failStalledVerifications(cosmosStalledQuery(await cosmosContainer(COSMOS_CONTAINERS.verifications)), deps);
    context.log(`kyc watchdog: ${failed} stalled verification(s) failed`);
  },
});
