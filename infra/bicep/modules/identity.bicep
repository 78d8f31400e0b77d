// The app's user-assigned identity. It exists (and gets its roles, see roles.bicep) before the
// function app is created, so the app's first start already reaches storage, Service Bus,
// Cosmos and Key Vault; a system-assigned identity would only exist once the app does.
param name string
param location string
param tags object

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' = {
  name: name
  location: location
  tags: tags
}

output id string = identity.id
output name string = identity.name
output principalId string = identity.properties.principalId
output clientId string = identity.properties.clientId
