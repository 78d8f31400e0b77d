/**
 * The Azure AI Face REST client. Production authenticates with the app's managed identity
 * (`DefaultAzureCredential`); a key is accepted for quick trials. The SDK appends
 * `/face/v1.2` to the endpoint.
 */
import createClient, { type FaceClient } from '@azure-rest/ai-vision-face';
import { AzureKeyCredential } from '@azure/core-auth';
import { DefaultAzureCredential } from '@azure/identity';

export interface AzureFaceClientOptions {
  /** Resource endpoint, e.g. `https://<name>.cognitiveservices.azure.com`. */
  endpoint: string;
  /** Resource key; when absent the client uses `DefaultAzureCredential` (managed identity in Azure). */
  apiKey?: string;
  /** Allow a plain-http endpoint: only for the recorded-contract stub in tests. */
  allowInsecureConnection?: boolean;
}

export function createAzureFaceClient(opts: AzureFaceClientOptions): FaceClient {
  const credential = opts.apiKey ? new AzureKeyCredential(opts.apiKey) : new DefaultAzureCredential();
  return createClient(opts.endpoint.replace(/\/+$/, ''), credential, {
    apiVersion: 'v1.2',
    allowInsecureConnection: opts.allowInsecureConnection ?? false,
    // Face calls are idempotent reads or session creations the caller retries itself; keep the SDK's
    // retries short so a queue invocation does not stall on a dead endpoint.
    retryOptions: { maxRetries: 2 },
  });
}

export type { FaceClient };
