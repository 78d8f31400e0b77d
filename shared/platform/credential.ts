import type { TokenCredential } from '@azure/identity';

let credential: TokenCredential | undefined;

/** Managed identity on Azure (DefaultAzureCredential); created on first use. */
export function azureCredential(): TokenCredential {
  if (!credential) {
    const { DefaultAzureCredential } = require('@azure/identity') as typeof import('@azure/identity');
    credential = new DefaultAzureCredential();
  }
  return credential;
}
