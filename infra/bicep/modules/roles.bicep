// Role assignments for the function app's identity, named guid(scope, principal, role).
param principalId string
param storageAccountName string
param serviceBusName string
param cosmosAccountName string
param keyVaultName string
param faceAccountName string

var storageBlobDataOwner = 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
var storageQueueDataContributor = '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
var storageTableDataContributor = '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
var serviceBusDataOwner = '090c5cfd-751d-490a-894a-3ce6f1109419'
var keyVaultSecretsUser = '4633458b-17de-408a-b874-0445c86b69e6'
var cognitiveServicesUser = 'a97b65f3-24c7-4388-baec-2e87135dc908'
// Cosmos DB Built-in Data Contributor (data-plane role, not Azure RBAC).
var cosmosDataContributor = '00000000-0000-0000-0000-000000000002'

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = { name: storageAccountName }
resource serviceBus 'Microsoft.ServiceBus/namespaces@2022-10-01-preview' existing = { name: serviceBusName }
resource cosmos 'Microsoft.DocumentDB/databaseAccounts@2024-05-15' existing = { name: cosmosAccountName }
resource vault 'Microsoft.KeyVault/vaults@2023-07-01' existing = { name: keyVaultName }

resource storageRoles 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for role in [storageBlobDataOwner, storageQueueDataContributor, storageTableDataContributor]: {
  name: guid(storage.id, principalId, role)
  scope: storage
  properties: { principalId: principalId, principalType: 'ServicePrincipal', roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', role) }
}]

resource busRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(serviceBus.id, principalId, serviceBusDataOwner)
  scope: serviceBus
  properties: { principalId: principalId, principalType: 'ServicePrincipal', roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', serviceBusDataOwner) }
}

resource vaultRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, principalId, keyVaultSecretsUser)
  scope: vault
  properties: { principalId: principalId, principalType: 'ServicePrincipal', roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', keyVaultSecretsUser) }
}

resource cosmosRole 'Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments@2024-05-15' = {
  parent: cosmos
  name: guid(cosmos.id, principalId, cosmosDataContributor)
  properties: {
    principalId: principalId
    roleDefinitionId: '${cosmos.id}/sqlRoleDefinitions/${cosmosDataContributor}'
    scope: cosmos.id
  }
}

resource face 'Microsoft.CognitiveServices/accounts@2024-10-01' existing = if (!empty(faceAccountName)) { name: faceAccountName }

resource faceRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(faceAccountName)) {
  name: guid(resourceGroup().id, principalId, cognitiveServicesUser, faceAccountName)
  scope: face
  properties: { principalId: principalId, principalType: 'ServicePrincipal', roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', cognitiveServicesUser) }
}
