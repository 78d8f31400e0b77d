// The API-key pepper and the payment-data key (and any secret the app stores later); RBAC only, purge protection on.
param name string
param location string
param tags object

@secure()
@description('HMAC key of stored API-key hashes and of hashed subject refs. Changing it invalidates every API key.')
param apiKeyPepper string

@secure()
@description('Key-encryption key of payment details: 32 bytes in base64 (shared/crypto/key-ring.ts).')
param paymentDataKey string

resource vault 'Microsoft.KeyVault/vaults@2025-05-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: { family: 'A', name: 'standard' }
    enableRbacAuthorization: true
    enablePurgeProtection: true
    softDeleteRetentionInDays: 30
    publicNetworkAccess: 'Enabled'
  }
}

// Written on every deployment with the same value (azd keeps the generated parameter in the
// environment), so a redeploy adds no new version unless the operator rotates it on purpose.
resource pepper 'Microsoft.KeyVault/vaults/secrets@2025-05-01' = {
  parent: vault
  name: 'api-key-pepper'
  properties: { value: apiKeyPepper, contentType: 'text/plain' }
}

// Same value on every deployment, as the pepper; a rotation adds a version by hand (shared/crypto/README.md).
resource paymentKey 'Microsoft.KeyVault/vaults/secrets@2025-05-01' = {
  parent: vault
  name: 'payment-data-key'
  properties: { value: paymentDataKey, contentType: 'text/plain' }
}

output vaultName string = vault.name
output vaultUri string = vault.properties.vaultUri
output pepperSecretName string = pepper.name
output paymentDataKeySecretName string = paymentKey.name
