// Queues of shared/names.ts QUEUES, with the delivery semantics the local broker mimics.
param name string
param location string

resource namespace 'Microsoft.ServiceBus/namespaces@2022-10-01-preview' = {
  name: name
  location: location
  sku: { name: 'Standard', tier: 'Standard' }
  properties: { disableLocalAuth: true, minimumTlsVersion: '1.2' }
}

var queues = [
  { name: 'frames', lockDuration: 'PT2M', maxDeliveryCount: 5 }
  { name: 'faces', lockDuration: 'PT2M', maxDeliveryCount: 5 }
  { name: 'orders', lockDuration: 'PT1M', maxDeliveryCount: 10 }
  { name: 'webhooks', lockDuration: 'PT1M', maxDeliveryCount: 10 }
  { name: 'events', lockDuration: 'PT1M', maxDeliveryCount: 10 }
]

resource queue 'Microsoft.ServiceBus/namespaces/queues@2022-10-01-preview' = [for q in queues: {
  parent: namespace
  name: q.name
  properties: {
    lockDuration: q.lockDuration
    maxDeliveryCount: q.maxDeliveryCount
    requiresDuplicateDetection: true // deterministic message ids make repeats no-ops
    duplicateDetectionHistoryTimeWindow: 'PT10M'
    deadLetteringOnMessageExpiration: true
    defaultMessageTimeToLive: 'P7D'
  }
}]

output namespaceName string = namespace.name
output fullyQualifiedNamespace string = '${namespace.name}.servicebus.windows.net'
