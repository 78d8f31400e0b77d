// Tenant webhook secrets and the API-key pepper; RBAC only, purge protection on.
param name string
param location string

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: name
  location: location
  properties: {
    tenantId: subscription().tenantId
    sku: { family: 'A', name: 'standard' }
    enableRbacAuthorization: true
    enablePurgeProtection: true
    softDeleteRetentionInDays: 30
    publicNetworkAccess: 'Enabled'
  }
}

output vaultName string = vault.name
output vaultUri string = vault.properties.vaultUri
