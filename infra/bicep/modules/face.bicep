// Azure AI Vision Face (identity verification needs the Limited Access approval on the subscription).
param name string
param location string

resource face 'Microsoft.CognitiveServices/accounts@2024-10-01' = {
  name: name
  location: location
  kind: 'Face'
  sku: { name: 'S0' }
  properties: { customSubDomainName: name, disableLocalAuth: true, publicNetworkAccess: 'Enabled' }
}

output accountName string = face.name
output endpoint string = face.properties.endpoint
