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
import type { TelemetryClient } from 'applicationinsights';
import type * as OtelApi from '@opentelemetry/api';
import type { Logger } from './logger';
import { consoleLogger } from './logger';
import { currentTraceparent, parseTraceparent } from './trace-context';

interface Loaded {
  client: TelemetryClient;
  api: typeof OtelApi;
}

let loaded: Loaded | null | undefined;

const LOOPBACK_INGESTION = /IngestionEndpoint=http:\/\/(127\.0\.0\.1|localhost|\[::1\])[:/]/i;

function load(): Loaded | null {
  if (loaded !== undefined) return loaded;
  const connectionString = process.env.APPLICATIONINSIGHTS_CONNECTION_STRING;
  if (!connectionString) return (loaded = null);
  const appInsights = require('applicationinsights') as typeof import('applicationinsights');
  const api = require('@opentelemetry/api') as typeof OtelApi;
  // Our own providers (not the global auto-instrumentation): the host already records requests and dependencies.
  const client = new appInsights.TelemetryClient(connectionString, { useGlobalProviders: false });
  const local = process.env.VOUCH_MODE === 'local' && LOOPBACK_INGESTION.test(connectionString);
  client.config.azureMonitorOpenTelemetryOptions = {
    azureMonitorExporterOptions: { connectionString, disableOfflineStorage: local, ...(local ? { httpClient: loopbackHttpClient() } : {}) },
    enableLiveMetrics: false,
    enablePerformanceCounters: false,
    enableStandardMetrics: false,
  };
  // Parenting by `context.with` needs a real context manager; the host's worker registers none.
  const { AsyncLocalStorageContextManager } = require('@opentelemetry/context-async-hooks') as typeof import('@opentelemetry/context-async-hooks');
  api.context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  return (loaded = { client, api });
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
function inTrace({ api }: Loaded, track: () => void): void {
  const parent = parseTraceparent(currentTraceparent());
  if (!parent) return track();
  const ctx = api.trace.setSpanContext(api.context.active(), { traceId: parent.traceId, spanId: parent.spanId, traceFlags: Number.parseInt(parent.flags, 16), isRemote: true });
  api.context.with(ctx, track);
}

/** One finished invocation, as the Functions host records it on Azure (the local runtime records none). */
export interface InvocationRecord {
  functionName: string;
  durationMs: number;
  success: boolean;
  /** HTTP status for HTTP triggers. */
  resultCode?: number;
}

export interface Telemetry {
  event(name: string, properties?: Record<string, string | number | boolean>): void;
  metric(name: string, value: number, properties?: Record<string, string>): void;
  /** Local mode only: the request item the host would record for an invocation on Azure. */
  request(record: InvocationRecord): void;
}

export function telemetry(fallback: Logger = consoleLogger): Telemetry {
  return {
    event(name, properties) {
      const l = load();
      if (l) inTrace(l, () => l.client.trackEvent({ name, ...(properties ? { properties } : {}) }));
      else fallback.info(`event ${name}`, properties);
    },
    metric(name, value, properties) {
      const l = load();
      if (l) inTrace(l, () => l.client.trackMetric({ name, value, ...(properties ? { properties } : {}) }));
      else fallback.info(`metric ${name}=${value}`, properties);
    },
    request(record) {
      const l = load();
      if (!l) return;
      inTrace(l, () =>
        l.client.trackRequest({
          name: record.functionName,
          duration: record.durationMs,
          success: record.success,
          resultCode: String(record.resultCode ?? (record.success ? 0 : 1)),
          url: '',
        }),
      );
    },
  };
}

/** Sends everything buffered (tests, and a host shutting down). */
export async function flushTelemetry(): Promise<void> {
  const l = load();
  if (l) await l.client.flush();
}

/** Tests that change the connection string call this to build the client again. */
export function resetTelemetryForTests(): void {
  loaded = undefined;
}
