/**
 * How the Azure Monitor exporter reaches the ingestion endpoint that
 * `APPLICATIONINSIGHTS_CONNECTION_STRING` names:
 * - on Azure, App Insights has local auth off, so ingestion takes only Entra tokens: the exporter
 *   authenticates with the managed identity that `APPLICATIONINSIGHTS_AUTHENTICATION_STRING` names
 *   (the setting the Functions host reads for its own telemetry), created when the SDK loads;
 * - locally the endpoint may be a plain-HTTP loopback one (`IngestionEndpoint=http://127.0.0.1:port/`,
 *   a test's capture server): the exporter speaks only HTTPS, so requests to a loopback host go over
 *   HTTP, and no credential is used (there is no managed identity on a laptop).
 */
import type { TokenCredential } from '@azure/identity';
import type { AzureMonitorExporterOptions } from '@azure/monitor-opentelemetry-exporter';

const LOOPBACK_INGESTION = /IngestionEndpoint=http:\/\/(127\.0\.0\.1|localhost|\[::1\])[:/]/i;

/** The exporter options for `connectionString` in this environment (`VOUCH_MODE`, the authentication string). */
export function exporterOptions(connectionString: string, env: Record<string, string | undefined>): AzureMonitorExporterOptions {
  const local = env.VOUCH_MODE === 'local';
  const loopback = local && LOOPBACK_INGESTION.test(connectionString);
  const credential = local ? undefined : ingestionCredential(env.APPLICATIONINSIGHTS_AUTHENTICATION_STRING);
  return {
    connectionString,
    // A loopback capture is gone after the test: nothing to retry from disk.
    disableOfflineStorage: loopback,
    ...(loopback ? { httpClient: loopbackHttpClient() } : {}),
    ...(credential ? { credential } : {}),
  };
}

/**
 * `APPLICATIONINSIGHTS_AUTHENTICATION_STRING` (`Authorization=AAD;ClientId=<client id>`, the
 * setting the Functions host reads for its own telemetry) parsed: with local auth off the resource
 * accepts only Entra-authenticated ingestion, and our exporter must send a token too. The SDK's
 * TelemetryClient does not read the setting itself. Undefined when the setting asks for no AAD.
 */
export function parseAuthenticationString(value: string | undefined): { clientId?: string } | undefined {
  if (!value) return undefined;
  const fields = new Map(
    value
      .split(';')
      .map((pair) => pair.split('=').map((part) => part.trim()))
      .filter((kv): kv is [string, string] => kv.length === 2 && kv[0] !== '')
      .map(([k, v]) => [k.toLowerCase(), v] as const),
  );
  if (fields.get('authorization')?.toUpperCase() !== 'AAD') return undefined;
  const clientId = fields.get('clientid');
  return clientId ? { clientId } : {};
}

/** The managed identity the exporter authenticates with (user-assigned when the setting names its client id). */
export function ingestionCredential(authenticationString: string | undefined): TokenCredential | undefined {
  const aad = parseAuthenticationString(authenticationString);
  if (!aad) return undefined;
  const { ManagedIdentityCredential } = require('@azure/identity') as typeof import('@azure/identity');
  return aad.clientId ? new ManagedIdentityCredential({ clientId: aad.clientId }) : new ManagedIdentityCredential();
}

/** The exporter's HTTP client, sending to a loopback ingestion endpoint over plain HTTP (local mode only). */
function loopbackHttpClient(): NonNullable<AzureMonitorExporterOptions['httpClient']> {
  const { createDefaultHttpClient } = require('@azure/core-rest-pipeline') as typeof import('@azure/core-rest-pipeline');
  const inner = createDefaultHttpClient();
  return {
    sendRequest(request: import('@azure/core-rest-pipeline').PipelineRequest) {
      const url = new URL(request.url);
      if (['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)) {
        url.protocol = 'http:';
        request.url = url.toString();
        request.allowInsecureConnection = true;
      }
      return inner.sendRequest(request);
    },
  };
}

