// Flex Consumption function app on Node 22, running as the user-assigned identity
// (identity.bicep) for storage, the deployment package, Key Vault references and every client.
param name string
param location string
param tags object
param storageAccountName string
param deploymentContainerName string
param identityId string
param identityClientId string
param appInsightsConnectionString string
param appSettings object

@description('Most instances the app scales out to.')
param maximumInstanceCount int = 100

@description('Memory per instance, MB. The offline face engine (tfjs-wasm) and ffmpeg need 2048.')
@allowed([2048, 4096])
param instanceMemoryMB int = 2048

resource plan 'Microsoft.Web/serverfarms@2025-03-01' = {
  name: '${name}-plan'
  location: location
  tags: tags
  kind: 'functionapp'
  sku: { tier: 'FlexConsumption', name: 'FC1' }
  properties: { reserved: true }
}

resource storage 'Microsoft.Storage/storageAccounts@2025-06-01' existing = {
  name: storageAccountName
}

resource app 'Microsoft.Web/sites@2025-03-01' = {
  name: name
  location: location
  // azd finds the app to deploy `services.api` of azure.yaml to by this tag.
  tags: union(tags, { 'azd-service-name': 'api' })
  kind: 'functionapp,linux'
  identity: { type: 'UserAssigned', userAssignedIdentities: { '${identityId}': {} } }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    // Key Vault references (API_KEY_PEPPER) resolve through the same identity.
    keyVaultReferenceIdentity: identityId
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storage.properties.primaryEndpoints.blob}${deploymentContainerName}'
          authentication: { type: 'UserAssignedIdentity', userAssignedIdentityResourceId: identityId }
        }
      }
      scaleAndConcurrency: { maximumInstanceCount: maximumInstanceCount, instanceMemoryMB: instanceMemoryMB }
      runtime: { name: 'node', version: '22' }
    }
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      appSettings: concat(
        [
          { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', value: appInsightsConnectionString }
          // App Insights has local auth off: the host authenticates its telemetry with the identity, and
          // the app's own exporter reads the same setting (shared/platform/telemetry-exporter.ts).
          { name: 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING', value: 'Authorization=AAD;ClientId=${identityClientId}' }
        ],
        map(items(appSettings), s => { name: s.key, value: s.value })
      )
    }
  }
}

// No publishing with basic (user/password) credentials: azd and `az functionapp deployment` use Entra ID.
resource ftp 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2025-03-01' = {
  parent: app
  name: 'ftp'
  properties: { allow: false }
}

resource scm 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2025-03-01' = {
  parent: app
  name: 'scm'
  properties: { allow: false }
}

output appName string = app.name
output appId string = app.id
output defaultHostName string = app.properties.defaultHostName
