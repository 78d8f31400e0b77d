/**
 * Custom telemetry (events and metrics) for Application Insights. On Azure the Functions host
 * collects requests, dependencies and logs itself; this module adds business signals, under the
 * running invocation's operation id (`trace-context.ts`), so a verification or an order reads as
 * one end-to-end transaction. The SDK (`applicationinsights` v3 on OpenTelemetry, ~0.5 s to load) is
 * loaded on the first signal, never at cold start. Without a connection string it writes to the logger.
 *
 * Locally `APPLICATIONINSIGHTS_CONNECTION_STRING` may name a plain-HTTP loopback ingestion endpoint
 * (`IngestionEndpoint=http://127.0.0.1:port/`): the exporter only speaks HTTPS, so in local mode
 * requests to a loopback host are sent over HTTP. Never personal data in names or properties:
 * ids, codes and counts only.
 */
import type { TokenCredential } from '@azure/identity';
import type { TelemetryClient } from 'applicationinsights';
import type { Logger } from './logger';
import { consoleLogger } from './logger';
import { ensureOtelContext, runInOtelTrace } from './otel-context';
import { currentTraceparent } from './trace-context';

interface Loaded {
  client: TelemetryClient;
}

let loaded: Loaded | null | undefined;

const LOOPBACK_INGESTION = /IngestionEndpoint=http:\/\/(127\.0\.0\.1|localhost|\[::1\])[:/]/i;

function load(): Loaded | null {
  if (loaded !== undefined) return loaded;
  const connectionString = process.env.APPLICATIONINSIGHTS_CONNECTION_STRING;
  if (!connectionString) return (loaded = null);
  const appInsights = require('applicationinsights') as typeof import('applicationinsights');
  // Our own providers (not the global auto-instrumentation): the host already records requests and dependencies.
  const client = new appInsights.TelemetryClient(connectionString, { useGlobalProviders: false });
  const local = process.env.VOUCH_MODE === 'local';
  const loopback = local && LOOPBACK_INGESTION.test(connectionString);
  const credential = local ? undefined : ingestionCredential(process.env.APPLICATIONINSIGHTS_AUTHENTICATION_STRING);
  client.config.azureMonitorOpenTelemetryOptions = {
    azureMonitorExporterOptions: {
      connectionString,
      disableOfflineStorage: loopback,
      ...(loopback ? { httpClient: loopbackHttpClient() } : {}),
      ...(credential ? { credential } : {}),
    },
    enableLiveMetrics: false,
    enablePerformanceCounters: false,
    enableStandardMetrics: false,
  };
  // Parenting by the active context needs a real context manager; the host's worker registers none.
  ensureOtelContext();
  return (loaded = { client });
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
function loopbackHttpClient() {
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

/** Runs `track` under the invocation's trace, so the item carries its operation id. */
const inTrace = (track: () => void): void => runInOtelTrace(currentTraceparent(), track);

/** One finished invocation, as the Functions host records it on Azure (the local runtime records none). */
export interface InvocationRecord {
  functionName: string;
  durationMs: number;
  success: boolean;
  /** HTTP status for HTTP triggers. */
  resultCode?: number;
  /** HTTP triggers: the request's method. */
  httpMethod?: string;
}

export type TraceSeverity = 'Verbose' | 'Information' | 'Warning' | 'Error' | 'Critical';

export interface Telemetry {
  event(name: string, properties?: Record<string, string | number | boolean>): void;
  metric(name: string, value: number, properties?: Record<string, string>): void;
  /** Local mode only: the request item the host would record for an invocation on Azure. */
  request(record: InvocationRecord): void;
  /** Local mode only: an invocation's log line, as the host records it on Azure (a `trace` item). */
  trace(message: string, severity: TraceSeverity): void;
}

export function telemetry(fallback: Logger = consoleLogger): Telemetry {
  return {
    event(name, properties) {
      const l = load();
      if (l) inTrace(() => l.client.trackEvent({ name, ...(properties ? { properties } : {}) }));
      else fallback.info(`event ${name}`, properties);
    },
    metric(name, value, properties) {
      const l = load();
      if (l) inTrace(() => l.client.trackMetric({ name, value, ...(properties ? { properties } : {}) }));
      else fallback.info(`metric ${name}=${value}`, properties);
    },
    request(record) {
      const l = load();
      if (!l) return;
      inTrace(() =>
        l.client.trackRequest({
          name: record.functionName,
          duration: record.durationMs,
          success: record.success,
          resultCode: String(record.resultCode ?? (record.success ? 0 : 1)),
          // No URL: the exporter would rename the item `METHOD path` (the host names requests by function,
          // and the workbook queries those names), and a query string may hold a subjectRef.
          url: '',
          // The exporter reports a response code only for HTTP spans (`http.method` set).
          ...(record.httpMethod ? { properties: { 'http.method': record.httpMethod } } : {}),
        }),
      );
    },
    trace(message, severity) {
      const l = load();
      if (l) inTrace(() => l.client.trackTrace({ message, severity }));
    },
  };
}

/** Sends everything buffered (tests, and a host shutting down). */
export async function flushTelemetry(): Promise<void> {
  // Only a client that exists has anything buffered: never load the SDK just to flush nothing.
  if (loaded) await loaded.client.flush();
}

/** Tests that change the connection string call this to build the client again. */
export function resetTelemetryForTests(): void {
  loaded = undefined;
}
