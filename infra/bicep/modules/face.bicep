// Azure AI Vision Face (identity verification needs the Limited Access approval on the subscription).
param name string
param location string
param tags object

resource face 'Microsoft.CognitiveServices/accounts@2025-06-01' = {
  name: name
  location: location
  tags: tags
  kind: 'Face'
  sku: { name: 'S0' }
  properties: { customSubDomainName: name, disableLocalAuth: true, publicNetworkAccess: 'Enabled' }
}

output accountName string = face.name
output endpoint string = face.properties.endpoint
