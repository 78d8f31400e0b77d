// Diagnostic settings: every resource's logs and metrics go to the Log Analytics workspace, where
// operators query them beside the app's telemetry (Application Insights is workspace-based).
param workspaceId string
param storageAccountName string
param serviceBusName string
param cosmosAccountName string
param keyVaultName string
param functionAppName string

var allLogs = [{ categoryGroup: 'allLogs', enabled: true }]
var allMetrics = [{ category: 'AllMetrics', enabled: true }]

resource storage 'Microsoft.Storage/storageAccounts@2025-06-01' existing = { name: storageAccountName }
resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2025-06-01' existing = { parent: storage, name: 'default' }
resource queueService 'Microsoft.Storage/storageAccounts/queueServices@2025-06-01' existing = { parent: storage, name: 'default' }
resource tableService 'Microsoft.Storage/storageAccounts/tableServices@2025-06-01' existing = { parent: storage, name: 'default' }
resource serviceBus 'Microsoft.ServiceBus/namespaces@2026-01-01' existing = { name: serviceBusName }
resource cosmos 'Microsoft.DocumentDB/databaseAccounts@2025-04-15' existing = { name: cosmosAccountName }
resource vault 'Microsoft.KeyVault/vaults@2025-05-01' existing = { name: keyVaultName }
resource app 'Microsoft.Web/sites@2025-03-01' existing = { name: functionAppName }

// Storage: account-level metrics; reads, writes and deletes per service (who touched KYC media).
resource storageDiag 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-workspace'
  scope: storage
  properties: { workspaceId: workspaceId, metrics: [{ category: 'Transaction', enabled: true }] }
}

resource blobDiag 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-workspace'
  scope: blobService
  properties: { workspaceId: workspaceId, logs: allLogs, metrics: [{ category: 'Transaction', enabled: true }] }
}

resource queueDiag 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-workspace'
  scope: queueService
  properties: { workspaceId: workspaceId, logs: allLogs, metrics: [{ category: 'Transaction', enabled: true }] }
}

resource tableDiag 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-workspace'
  scope: tableService
  properties: { workspaceId: workspaceId, logs: allLogs, metrics: [{ category: 'Transaction', enabled: true }] }
}

resource busDiag 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-workspace'
  scope: serviceBus
  properties: { workspaceId: workspaceId, logs: allLogs, metrics: allMetrics }
}

// Resource-specific tables (CDBDataPlaneRequests, …) instead of the shared AzureDiagnostics table.
resource cosmosDiag 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-workspace'
  scope: cosmos
  properties: { workspaceId: workspaceId, logAnalyticsDestinationType: 'Dedicated', logs: allLogs, metrics: [{ category: 'Requests', enabled: true }] }
}

resource vaultDiag 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-workspace'
  scope: vault
  properties: { workspaceId: workspaceId, logs: allLogs, metrics: allMetrics }
}

resource appDiag 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-workspace'
  scope: app
  properties: { workspaceId: workspaceId, logs: allLogs, metrics: allMetrics }
}
