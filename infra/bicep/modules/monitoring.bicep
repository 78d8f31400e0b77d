// Log Analytics + workspace-based Application Insights. Local auth is off: telemetry is
// accepted only with an Entra token (the app's identity holds Monitoring Metrics Publisher).
param name string
param location string
param tags object

resource workspace 'Microsoft.OperationalInsights/workspaces@2025-02-01' = {
  name: '${name}-logs'
  location: location
  tags: tags
  properties: { retentionInDays: 30, sku: { name: 'PerGB2018' } }
}

resource insights 'Microsoft.Insights/components@2020-02-02' = {
  name: '${name}-insights'
  location: location
  tags: tags
  kind: 'web'
  properties: { Application_Type: 'Node.JS', WorkspaceResourceId: workspace.id, DisableLocalAuth: true }
}

output connectionString string = insights.properties.ConnectionString
output insightsName string = insights.name
output insightsId string = insights.id
output workspaceId string = workspace.id
