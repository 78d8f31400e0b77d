import { app, type InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import { BLOB_CONTAINERS, CONNECTIONS, FUNCTIONS } from '../shared/names';
import { onMediaUploaded } from '../shared/kyc/pipeline';
import { contextLogger } from '../shared/http/context-logger';
import { retentionInputFor, startRetention } from '../shared/privacy/retention-starter';
import { pipelineDeps, prewarmFaceEngine } from '../shared/wiring/kyc';

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
    prewarmFaceEngine(); // the faces step follows in a moment
    const deps = await pipelineDeps(contextLogger(context, verificationId));
    const record = await deps.verifications.get(tenantId, verificationId);
    // Independent, both idempotent: the fan-out does not wait for the retention orchestration to start.
    const [started, result] = await Promise.all([
      record ? startRetention(df.getClient(context), FUNCTIONS.verificationRetention, retentionInputFor(record)) : undefined,
      onMediaUploaded(`${tenantId}/${verificationId}/manifest.json`, deps),
    ]);
    if (started) context.log(`kyc ${verificationId}: retention ${started}`);
    context.log(`kyc ${verificationId}: manifest → ${result.action}`);
  },
});
