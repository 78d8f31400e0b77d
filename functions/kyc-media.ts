import { app, type InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import { BLOB_CONTAINERS, CONNECTIONS, FUNCTIONS } from '../shared/names';
import { onMediaUploaded } from '../shared/kyc/pipeline';
import { contextLogger } from '../shared/http/context-logger';
import { retentionInputFor, startRetention } from '../shared/privacy/retention-starter';
import { pipelineDeps } from '../shared/wiring/kyc';

// Event Grid source: what Flex Consumption requires; locally the runtime raises the same event.
// Only the manifest, written after all media, starts the pipeline (and media blobs are never downloaded here).
// It also starts the verification's retention orchestration (instance id from the verification id, so a
// repeated trigger finds it): every verification that has media reaches this trigger, and a failed start
// throws, so the trigger's retries cover it (the pipeline fan-out is idempotent too).
app.storageBlob(FUNCTIONS.kycMediaUploaded, {
  path: `${BLOB_CONTAINERS.kycMedia}/{tenantId}/{verificationId}/manifest.json`,
  connection: CONNECTIONS.storage,
  source: 'EventGrid',
  extraInputs: [df.input.durableClient()],
  handler: async (_manifest: unknown, context: InvocationContext) => {
    const { tenantId, verificationId } = context.triggerMetadata as { tenantId: string; verificationId: string };
    const deps = await pipelineDeps(contextLogger(context, verificationId));
    const record = await deps.verifications.get(tenantId, verificationId);
    if (record) {
      const started = await startRetention(df.getClient(context), FUNCTIONS.verificationRetention, retentionInputFor(record));
      context.log(`kyc ${verificationId}: retention ${started}`);
    }
    const result = await onMediaUploaded(`${tenantId}/${verificationId}/manifest.json`, deps);
    context.log(`kyc ${verificationId}: manifest → ${result.action}`);
  },
});
