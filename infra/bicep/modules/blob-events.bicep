// Flex Consumption runs blob triggers from Event Grid: subscribe the kyc-media
// upload function (functions/kyc-media.ts, source 'EventGrid') to BlobCreated events.
param storageAccountName string
param functionAppName string
param location string

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = { name: storageAccountName }
resource app 'Microsoft.Web/sites@2024-04-01' existing = { name: functionAppName }

resource topic 'Microsoft.EventGrid/systemTopics@2024-06-01-preview' = {
  name: '${storageAccountName}-events'
  location: location
  properties: { source: storage.id, topicType: 'Microsoft.Storage.StorageAccounts' }
}

resource subscription 'Microsoft.EventGrid/systemTopics/eventSubscriptions@2024-06-01-preview' = {
  parent: topic
  name: 'kyc-media-uploaded'
  properties: {
    destination: {
      endpointType: 'WebHook'
      properties: {
        // The blob extension's Event Grid endpoint for the function `kycMediaUploaded`.
        endpointUrl: 'https://${app.properties.defaultHostName}/runtime/webhooks/blobs?functionName=Host.Functions.kycMediaUploaded&code=${listKeys('${app.id}/host/default', '2023-12-01').systemKeys.blobs_extension}'
      }
    }
    filter: {
      includedEventTypes: ['Microsoft.Storage.BlobCreated']
      subjectBeginsWith: '/blobServices/default/containers/kyc-media/'
    }
  }
}
