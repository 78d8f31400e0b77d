import { app, type InvocationContext } from '@azure/functions';
import { BLOB_CONTAINERS, CONNECTIONS, FUNCTIONS } from '../shared/names';
import { onMediaUploaded } from '../shared/kyc/pipeline';
import { contextLogger } from '../shared/http/context-logger';
import { pipelineDeps } from '../shared/wiring/kyc';

// Event Grid source: what Flex Consumption requires; locally the runtime raises the same event.
// Only the manifest, written after all media, starts the pipeline (and media blobs are never downloaded here).
app.storageBlob(FUNCTIONS.kycMediaUploaded, {
  path: `${BLOB_CONTAINERS.kycMedia}/{tenantId}/{verificationId}/manifest.json`,
  connection: CONNECTIONS.storage,
  source: 'EventGrid',
  handler: async (_manifest: unknown, context: InvocationContext) => {
    const { tenantId, verificationId } = context.triggerMetadata as { tenantId: string; verificationId: string };
    const deps = await pipelineDeps(contextLogger(context, verificationId));
    const result = await onMediaUploaded(`${tenantId}/${verificationId}/manifest.json`, deps);
    context.log(`kyc ${verificationId}: manifest → ${result.action}`);
  },
});
