// Serverless Cosmos DB (NoSQL) with the containers of shared/platform/cosmos-containers.ts.
param name string
param location string
param tags object

resource account 'Microsoft.DocumentDB/databaseAccounts@2025-04-15' = {
  name: name
  location: location
  tags: tags
  kind: 'GlobalDocumentDB'
  properties: {
    databaseAccountOfferType: 'Standard'
    disableLocalAuth: true // Entra ID only
    locations: [{ locationName: location, failoverPriority: 0 }]
    capabilities: [{ name: 'EnableServerless' }]
    consistencyPolicy: { defaultConsistencyLevel: 'Session' }
  }
}

resource database 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases@2025-04-15' = {
  parent: account
  name: 'vouch'
  properties: { resource: { id: 'vouch' } }
}

var containers = [
  { id: 'settings', pk: '/id', ttl: -1 }
  { id: 'tenants', pk: '/tenantId', ttl: -1 }
  { id: 'verifications', pk: '/tenantId', ttl: -1 }
  { id: 'idempotency', pk: '/tenantId', ttl: 86400 }
  { id: 'merchants', pk: '/tenantId', ttl: -1 }
  { id: 'traders', pk: '/tenantId', ttl: -1 }
  { id: 'requisites', pk: '/tenantId', ttl: -1 }
  { id: 'orders', pk: '/tenantId', ttl: -1 }
  { id: 'ledger', pk: '/tenantId', ttl: -1 }
  { id: 'balances', pk: '/accountId', ttl: -1 }
  { id: 'reference-data', pk: '/tenantId', ttl: -1 }
  // TTL on, no default expiry: each audit entry carries its own `ttl` (privacy.auditRetentionDays).
  { id: 'audit', pk: '/tenantId', ttl: -1 }
  { id: 'webhooks', pk: '/tenantId', ttl: 2592000 }
  { id: 'erasures', pk: '/tenantId', ttl: -1 }
  { id: 'rate-limits', pk: '/tenantId', ttl: 3600 }
  // TTL on, no default expiry: each challenge carries its own `ttl` (a day, for diagnosis).
  { id: 'kyc-challenges', pk: '/tenantId', ttl: -1 }
  { id: 'verification-sessions', pk: '/tenantId', ttl: 86400 }
]

resource container 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers@2025-04-15' = [for c in containers: {
  parent: database
  name: c.id
  properties: {
    resource: {
      id: c.id
      partitionKey: { paths: [c.pk], kind: 'Hash' }
      defaultTtl: c.ttl
    }
  }
}]

output accountName string = account.name
output endpoint string = account.properties.documentEndpoint
output databaseName string = database.name
