// The Event Grid system topic of the storage account. Flex Consumption runs blob triggers from
// Event Grid; the subscription that delivers `BlobCreated` of manifest blobs to the blob
// extension's endpoint needs the `blobs_extension` system key, which exists only after the code
// is published. So the subscription is created by the azd `postdeploy` hook
// (infra/hooks/postdeploy.sh), not here.
param storageAccountName string
param location string
param tags object

resource storage 'Microsoft.Storage/storageAccounts@2025-06-01' existing = { name: storageAccountName }

resource topic 'Microsoft.EventGrid/systemTopics@2025-02-15' = {
  name: '${storageAccountName}-events'
  location: location
  tags: tags
  properties: { source: storage.id, topicType: 'Microsoft.Storage.StorageAccounts' }
}

output topicName string = topic.name
output topicId string = topic.id
