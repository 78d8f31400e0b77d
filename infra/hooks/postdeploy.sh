#!/usr/bin/env bash
# azd postdeploy hook (also runnable by hand after a deployment): subscribes the blob trigger
# `kycMediaUploaded` to BlobCreated events of manifest blobs in kyc-media. Idempotent: it creates
# the Event Grid subscription or replaces it in place.
#
# Why here and not in Bicep: the webhook endpoint needs the function app's `blobs_extension`
# system key, which the host creates only once the published code registers an Event Grid blob
# trigger. Media and frame blobs do not match the filter, so writing them never wakes the app.
#
# Needs: az (logged in). Reads RESOURCE_GROUP, AZURE_FUNCTION_APP_NAME and
# EVENT_GRID_SYSTEM_TOPIC_NAME from the environment (azd passes its environment's values to hooks;
# by hand: `export $(azd env get-values | xargs)` or set them from the deployment outputs).
set -euo pipefail

# Kept in step with shared/names.ts and shared/kyc/blob-names.ts by tests/unit/infra/postdeploy-hook.test.ts.
FUNCTION_NAME=kycMediaUploaded
CONTAINER=kyc-media
MANIFEST_SUFFIX=/manifest.json
SUBSCRIPTION_NAME=kyc-manifest-created

for name in RESOURCE_GROUP AZURE_FUNCTION_APP_NAME EVENT_GRID_SYSTEM_TOPIC_NAME; do
  if [ -z "${!name:-}" ]; then
    echo "postdeploy: $name is not set (run through azd, or export the deployment outputs)" >&2
    exit 1
  fi
done
command -v az >/dev/null || { echo "postdeploy: the Azure CLI (az) is required" >&2; exit 1; }

# The key appears once the host has started with the new code; give it a few minutes.
key=""
for attempt in $(seq 1 30); do
  key=$(az functionapp keys list -g "$RESOURCE_GROUP" -n "$AZURE_FUNCTION_APP_NAME" \
    --query "systemKeys.blobs_extension" -o tsv 2>/dev/null || true)
  [ -n "$key" ] && break
  echo "postdeploy: waiting for the blobs_extension system key (attempt $attempt/30)"
  sleep 10
done
if [ -z "$key" ]; then
  echo "postdeploy: no blobs_extension system key on $AZURE_FUNCTION_APP_NAME; is the code published and the host running?" >&2
  exit 1
fi

host=$(az functionapp show -g "$RESOURCE_GROUP" -n "$AZURE_FUNCTION_APP_NAME" --query defaultHostName -o tsv)
# The endpoint carries the key: it is passed to az but never printed.
endpoint="https://${host}/runtime/webhooks/blobs?functionName=Host.Functions.${FUNCTION_NAME}&code=${key}"
filters=(
  --included-event-types Microsoft.Storage.BlobCreated
  --subject-begins-with "/blobServices/default/containers/${CONTAINER}/blobs/"
  --subject-ends-with "$MANIFEST_SUFFIX"
)

# `create` is a PUT (create or update): running it again replaces the subscription in place, so a
# new key or host name after a redeploy is picked up and nothing is duplicated.
az eventgrid system-topic event-subscription create -g "$RESOURCE_GROUP" \
  --system-topic-name "$EVENT_GRID_SYSTEM_TOPIC_NAME" -n "$SUBSCRIPTION_NAME" \
  --endpoint "$endpoint" --endpoint-type webhook "${filters[@]}" --output none
echo "postdeploy: Event Grid subscription $SUBSCRIPTION_NAME is in place (BlobCreated of ${CONTAINER}/*${MANIFEST_SUFFIX} -> ${FUNCTION_NAME})"
