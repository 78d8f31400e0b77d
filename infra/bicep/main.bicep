// Vouch on Azure: a Flex Consumption function app with managed identity and no shared keys.
// Deploy: az deployment group create -g <rg> -f infra/bicep/main.bicep -p name=vouch
targetScope = 'resourceGroup'

@description('Base name for every resource (lowercase letters and digits).')
@minLength(3)
@maxLength(16)
param name string

param location string = resourceGroup().location

@description('Days before KYC media blobs are deleted by the storage lifecycle policy (third line of defence; the app erases earlier).')
param mediaRetentionDays int = 8

@description('Issuer and audience of user JWTs, and where their signing keys are published.')
param jwtIssuer string
param jwtAudience string = 'vouch-api'
param jwtJwksUrl string

@description('Use Azure AI Vision Face instead of the offline engine.')
param faceProvider string = 'azure'

var suffix = uniqueString(resourceGroup().id, name)
var taskHubName = '${name}hub'

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: { name: name, location: location }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  params: { name: '${name}${take(suffix, 8)}', location: location, mediaRetentionDays: mediaRetentionDays }
}

module serviceBus 'modules/service-bus.bicep' = {
  name: 'serviceBus'
  params: { name: '${name}-${suffix}', location: location }
}

module cosmos 'modules/cosmos.bicep' = {
  name: 'cosmos'
  params: { name: '${name}-${suffix}', location: location }
}

module keyVault 'modules/key-vault.bicep' = {
  name: 'keyVault'
  params: { name: 'kv${take(suffix, 13)}', location: location }
}

module face 'modules/face.bicep' = if (faceProvider == 'azure') {
  name: 'face'
  params: { name: '${name}-face-${suffix}', location: location }
}

module functionApp 'modules/function-app.bicep' = {
  name: 'functionApp'
  params: {
    name: '${name}-${suffix}'
    location: location
    storageAccountName: storage.outputs.accountName
    deploymentContainerName: storage.outputs.deploymentContainerName
    appInsightsConnectionString: monitoring.outputs.connectionString
    // Every name here is also in local.settings.sample.json (tests/unit/infra keeps them in step).
    appSettings: {
      VOUCH_MODE: 'azure'
      AzureWebJobsStorage__accountName: storage.outputs.accountName
      AzureWebJobsStorage__credential: 'managedidentity'
      ServiceBusConnection__fullyQualifiedNamespace: serviceBus.outputs.fullyQualifiedNamespace
      COSMOS_ENDPOINT: cosmos.outputs.endpoint
      COSMOS_DATABASE: cosmos.outputs.databaseName
      KEY_VAULT_URL: keyVault.outputs.vaultUri
      TASKHUB_NAME: taskHubName
      FACE_PROVIDER: faceProvider
      FACE_ENDPOINT: faceProvider == 'azure' ? face.outputs.endpoint : ''
      JWT_ISSUER: jwtIssuer
      JWT_AUDIENCE: jwtAudience
      JWKS_URL: jwtJwksUrl
      // NCRONTAB schedules of the order sweep and expiry timers (functions/order-processing.ts).
      ORDER_SWEEP_SCHEDULE: '0 */1 * * * *'
      ORDER_EXPIRY_SCHEDULE: '30 */1 * * * *'
      // Daily retention sweep (second line of defence behind the per-verification orchestrations).
      RETENTION_SWEEP_SCHEDULE: '0 15 3 * * *'
      // Fails verifications stalled before a decision (functions/kyc-watchdog.ts).
      KYC_STALLED_SCHEDULE: '0 */5 * * * *'
      // Resolved by the platform from Key Vault through the app's identity.
      API_KEY_PEPPER: '@Microsoft.KeyVault(SecretUri=${keyVault.outputs.vaultUri}secrets/api-key-pepper/)'
      // Envelope encryption of payment details (shared/crypto/README.md): the current key-encryption key,
      // and retired ones during a rotation (a reference to the old secret version, or empty).
      PAYMENT_DATA_KEY: '@Microsoft.KeyVault(SecretUri=${keyVault.outputs.vaultUri}secrets/payment-data-key/)'
      PAYMENT_DATA_KEY_PREVIOUS: ''
    }
  }
}

module roles 'modules/roles.bicep' = {
  name: 'roles'
  params: {
    principalId: functionApp.outputs.principalId
    storageAccountName: storage.outputs.accountName
    serviceBusName: serviceBus.outputs.namespaceName
    cosmosAccountName: cosmos.outputs.accountName
    keyVaultName: keyVault.outputs.vaultName
    faceAccountName: faceProvider == 'azure' ? face.outputs.accountName : ''
  }
}

module blobEvents 'modules/blob-events.bicep' = {
  name: 'blobEvents'
  params: {
    storageAccountName: storage.outputs.accountName
    functionAppName: functionApp.outputs.appName
    location: location
  }
  dependsOn: [roles]
}

output functionAppUrl string = 'https://${functionApp.outputs.defaultHostName}/api'
