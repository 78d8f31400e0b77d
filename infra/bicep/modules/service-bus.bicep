// Queues of shared/names.ts QUEUES, with the delivery semantics the local broker mimics.
param name string
param location string
param tags object

resource namespace 'Microsoft.ServiceBus/namespaces@2026-01-01' = {
  name: name
  location: location
  tags: tags
  sku: { name: 'Standard', tier: 'Standard' }
  properties: { disableLocalAuth: true, minimumTlsVersion: '1.2' }
}

// One source of truth for queue semantics: the app and the local runtime read the same file.
var queues = loadJsonContent('../../queues.json')

resource queue 'Microsoft.ServiceBus/namespaces/queues@2026-01-01' = [for q in items(queues): {
  parent: namespace
  name: q.key
  properties: {
    lockDuration: 'PT${q.value.lockDurationSeconds}S'
    maxDeliveryCount: q.value.maxDeliveryCount
    requiresDuplicateDetection: true // deterministic message ids make repeats no-ops
    duplicateDetectionHistoryTimeWindow: 'PT10M'
    deadLetteringOnMessageExpiration: true
    defaultMessageTimeToLive: 'P7D'
  }
}]

output namespaceName string = namespace.name
output fullyQualifiedNamespace string = '${namespace.name}.servicebus.windows.net'
output namespaceId string = namespace.id
