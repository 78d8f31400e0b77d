// Storage for uploads (kyc-media, receipts), the durable task hub and the deployment package.
param name string
param location string
param tags object
param mediaRetentionDays int

resource account 'Microsoft.Storage/storageAccounts@2025-06-01' = {
  name: toLower(replace(name, '-', ''))
  location: location
  tags: tags
  sku: { name: 'Standard_ZRS' }
  kind: 'StorageV2'
  properties: {
    allowSharedKeyAccess: false // identity-based access only
    allowBlobPublicAccess: false
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    defaultToOAuthAuthentication: true // the portal and tools use Entra ID too
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2025-06-01' = {
  parent: account
  name: 'default'
  properties: {
    deleteRetentionPolicy: { enabled: false } // soft delete would keep erased identity media
    isVersioningEnabled: false
  }
}

// Names match shared/names.ts BLOB_CONTAINERS.
resource containers 'Microsoft.Storage/storageAccounts/blobServices/containers@2025-06-01' = [for c in ['kyc-media', 'receipts', 'deployments']: {
  parent: blobService
  name: c
  properties: { publicAccess: 'None' }
}]

// Third line of defence for GDPR: delete media even if the app's erasure never ran.
resource lifecycle 'Microsoft.Storage/storageAccounts/managementPolicies@2025-06-01' = {
  parent: account
  name: 'default'
  properties: {
    policy: {
      rules: [
        {
          name: 'expire-kyc-media'
          enabled: true
          type: 'Lifecycle'
          definition: {
            filters: { blobTypes: ['blockBlob'], prefixMatch: ['kyc-media/'] }
            actions: {
              baseBlob: { delete: { daysAfterCreationGreaterThan: mediaRetentionDays } }
              version: { delete: { daysAfterCreationGreaterThan: 1 } }
            }
          }
        }
      ]
    }
  }
}

output accountName string = account.name
output accountId string = account.id
output blobEndpoint string = account.properties.primaryEndpoints.blob
output deploymentContainerName string = 'deployments'
