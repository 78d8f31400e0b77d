// Vouch on Azure: a Flex Consumption function app with a user-assigned managed identity and no
// shared keys. `azd up` provisions this and deploys the package of `npm run package`
// (see azure.yaml and README.md); a manual deployment is `az deployment sub create` (README.md).
targetScope = 'subscription'

@minLength(1)
@maxLength(64)
@description('azd environment name; names the resource group and tags every resource (azd-env-name).')
param environmentName string

@minLength(1)
@description('Region of every resource. Must offer Flex Consumption.')
@metadata({ azd: { type: 'location' } })
param location string

@description('Base name for resources (lowercase letters and digits).')
@minLength(3)
@maxLength(12)
param name string = 'vouch'

@description('Resource group to create or reuse; default rg-<environmentName>.')
param resourceGroupName string = ''

@description('Optional: object id of the person or pipeline deploying (azd passes AZURE_PRINCIPAL_ID); gets Cosmos data and Key Vault secret read access for `npm run admin`.')
param principalId string = ''

@description('Days before KYC media blobs are deleted by the storage lifecycle policy (third line of defence; the app erases earlier).')
param mediaRetentionDays int = 8

@description('Issuer of user JWTs (the `iss` claim), e.g. https://login.microsoftonline.com/<tenant>/v2.0.')
param jwtIssuer string

@description('Audience of user JWTs (the `aud` claim).')
param jwtAudience string = 'vouch-api'

@description('Where the signing keys of user JWTs are published (JWKS).')
param jwtJwksUrl string
@description('Claim of user tokens that holds the Vouch roles (an array, or a space-separated string); a dotted path reaches into nested claims')
param jwtRolesClaim string = 'roles'
@description('Claim of user tokens that names the Vouch tenant (platform for the operator\'s staff)')
param jwtTenantClaim string = 'tenant'

@description('Face provider on Azure. `local`: the offline engine shipped in the package (default). `azure`: Azure AI Vision Face, deployed only then; identity verification needs Limited Access approval.')
@allowed(['local', 'azure'])
param faceProvider string = 'local'

@description('E-mail address the operators\' alerts go to; empty: alerts fire without notifying anyone.')
param alertEmail string = ''

@description('p95 upload-to-decision latency that raises an alert, milliseconds.')
param decisionLatencyP95AlertMs int = 60000

@secure()
@minLength(32)
@description('HMAC key of stored API-key hashes, written to Key Vault as `api-key-pepper`. azd generates it once per environment and keeps it; changing it invalidates every API key.')
@metadata({ azd: { type: 'generate', config: { length: 48, noSpecial: true } } })
param apiKeyPepper string

@secure()
@minLength(32)
@description('Seed of the payment-data key-encryption key: its first 32 characters, base64-encoded, are written to Key Vault as `payment-data-key` (32 bytes). azd generates it once per environment; rotate as shared/crypto/README.md says.')
@metadata({ azd: { type: 'generate', config: { length: 32, noSpecial: true } } })
param paymentDataKeySeed string

var tags = { 'azd-env-name': environmentName }
var suffix = uniqueString(subscription().id, environmentName, name)
var taskHubName = '${name}hub'

resource rg 'Microsoft.Resources/resourceGroups@2025-04-01' = {
  name: !empty(resourceGroupName) ? resourceGroupName : 'rg-${environmentName}'
  location: location
  tags: tags
}

module identity 'modules/identity.bicep' = {
  name: 'identity'
  scope: rg
  params: { name: '${name}-app-${suffix}', location: location, tags: tags }
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  scope: rg
  params: { name: '${name}-${suffix}', location: location, tags: tags }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  scope: rg
  params: { name: '${name}${take(suffix, 8)}', location: location, tags: tags, mediaRetentionDays: mediaRetentionDays }
}

module blobEvents 'modules/blob-events.bicep' = {
  name: 'blobEvents'
  scope: rg
  params: { storageAccountName: storage.outputs.accountName, location: location, tags: tags }
}

module serviceBus 'modules/service-bus.bicep' = {
  name: 'serviceBus'
  scope: rg
  params: { name: '${name}-${suffix}', location: location, tags: tags }
}

module cosmos 'modules/cosmos.bicep' = {
  name: 'cosmos'
  scope: rg
  params: { name: '${name}-${suffix}', location: location, tags: tags }
}

module keyVault 'modules/key-vault.bicep' = {
  name: 'keyVault'
  scope: rg
  params: { name: 'kv${take(suffix, 13)}', location: location, tags: tags, apiKeyPepper: apiKeyPepper, paymentDataKey: base64(take(paymentDataKeySeed, 32)) }
}

module face 'modules/face.bicep' = if (faceProvider == 'azure') {
  name: 'face'
  scope: rg
  params: { name: '${name}-face-${suffix}', location: location, tags: tags }
}

var faceAccountName = faceProvider == 'azure' ? face!.outputs.accountName : ''

module roles 'modules/roles.bicep' = {
  name: 'roles'
  scope: rg
  params: {
    principalId: identity.outputs.principalId
    storageAccountName: storage.outputs.accountName
    serviceBusName: serviceBus.outputs.namespaceName
    cosmosAccountName: cosmos.outputs.accountName
    keyVaultName: keyVault.outputs.vaultName
    appInsightsName: monitoring.outputs.insightsName
    faceAccountName: faceAccountName
    operatorPrincipalId: principalId
  }
}

module functionApp 'modules/function-app.bicep' = {
  name: 'functionApp'
  scope: rg
  params: {
    name: '${name}-${suffix}'
    location: location
    tags: tags
    storageAccountName: storage.outputs.accountName
    deploymentContainerName: storage.outputs.deploymentContainerName
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    appInsightsConnectionString: monitoring.outputs.connectionString
    // Every name here is also in local.settings.sample.json, or is a host/SDK setting listed in
    // tests/unit/infra (which keeps them in step).
    appSettings: {
      VOUCH_MODE: 'azure'
      AzureWebJobsStorage__accountName: storage.outputs.accountName
      AzureWebJobsStorage__credential: 'managedidentity'
      AzureWebJobsStorage__clientId: identity.outputs.clientId
      ServiceBusConnection__fullyQualifiedNamespace: serviceBus.outputs.fullyQualifiedNamespace
      ServiceBusConnection__credential: 'managedidentity'
      ServiceBusConnection__clientId: identity.outputs.clientId
      // DefaultAzureCredential in shared/platform/credential.ts picks the user-assigned identity by this.
      AZURE_CLIENT_ID: identity.outputs.clientId
      COSMOS_ENDPOINT: cosmos.outputs.endpoint
      COSMOS_DATABASE: cosmos.outputs.databaseName
      KEY_VAULT_URL: keyVault.outputs.vaultUri
      TASKHUB_NAME: taskHubName
      FACE_PROVIDER: faceProvider
      FACE_ENDPOINT: faceProvider == 'azure' ? face!.outputs.endpoint : ''
      JWT_ISSUER: jwtIssuer
      JWT_AUDIENCE: jwtAudience
      JWKS_URL: jwtJwksUrl
      JWT_ROLES_CLAIM: jwtRolesClaim
      JWT_TENANT_CLAIM: jwtTenantClaim
      // NCRONTAB schedules of the order sweep and expiry timers (functions/order-processing.ts).
      ORDER_SWEEP_SCHEDULE: '0 */1 * * * *'
      ORDER_EXPIRY_SCHEDULE: '30 */1 * * * *'
      // Daily retention sweep (second line of defence behind the per-verification orchestrations).
      RETENTION_SWEEP_SCHEDULE: '0 15 3 * * *'
      // Fails verifications stalled before a decision (functions/kyc-watchdog.ts).
      KYC_STALLED_SCHEDULE: '0 */5 * * * *'
      // Review desk: overdue-case metric and re-drive of unannounced decisions (functions/review.ts).
      REVIEW_SWEEP_SCHEDULE: '0 */5 * * * *'
      // Ledger reconciliation (functions/order-ledger-admin.ts); a mismatch emits vouch.ledger.reconciliation.
      LEDGER_RECONCILE_SCHEDULE: '0 7 */1 * * *'
      // Resolved by the platform from Key Vault through the app's identity (keyVaultReferenceIdentity);
      // shared/config.ts refuses the reference text if it was not resolved.
      API_KEY_PEPPER: '@Microsoft.KeyVault(SecretUri=${keyVault.outputs.vaultUri}secrets/${keyVault.outputs.pepperSecretName}/)'
      // Envelope encryption of payment details (shared/crypto/README.md): the current key-encryption key,
      // and retired ones during a rotation (a reference to the old secret version, or empty).
      PAYMENT_DATA_KEY: '@Microsoft.KeyVault(SecretUri=${keyVault.outputs.vaultUri}secrets/${keyVault.outputs.paymentDataKeySecretName}/)'
      PAYMENT_DATA_KEY_PREVIOUS: ''
    }
  }
  // The identity's roles exist before the app first starts (as the official Flex Consumption templates do).
  dependsOn: [roles]
}

module diagnostics 'modules/diagnostics.bicep' = {
  name: 'diagnostics'
  scope: rg
  params: {
    workspaceId: monitoring.outputs.workspaceId
    storageAccountName: storage.outputs.accountName
    serviceBusName: serviceBus.outputs.namespaceName
    cosmosAccountName: cosmos.outputs.accountName
    keyVaultName: keyVault.outputs.vaultName
    functionAppName: functionApp.outputs.appName
  }
}

module alerts 'modules/alerts.bicep' = {
  name: 'alerts'
  scope: rg
  params: {
    name: name
    location: location
    tags: tags
    alertEmail: alertEmail
    appInsightsId: monitoring.outputs.insightsId
    serviceBusId: serviceBus.outputs.namespaceId
    decisionLatencyP95AlertMs: decisionLatencyP95AlertMs
  }
}

module workbook 'modules/workbook.bicep' = {
  name: 'workbook'
  scope: rg
  params: {
    location: location
    tags: tags
    appInsightsId: monitoring.outputs.insightsId
    serviceBusId: serviceBus.outputs.namespaceId
  }
}

// Read by azd (into the environment) and by infra/hooks/postdeploy.sh.
output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output RESOURCE_GROUP string = rg.name
output AZURE_FUNCTION_APP_NAME string = functionApp.outputs.appName
output AZURE_STORAGE_ACCOUNT_NAME string = storage.outputs.accountName
output EVENT_GRID_SYSTEM_TOPIC_NAME string = blobEvents.outputs.topicName
output KYC_MEDIA_CONTAINER_NAME string = 'kyc-media'
output COSMOS_ENDPOINT string = cosmos.outputs.endpoint
output KEY_VAULT_URL string = keyVault.outputs.vaultUri
output FUNCTION_APP_URL string = 'https://${functionApp.outputs.defaultHostName}/api'
