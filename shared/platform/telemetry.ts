/**
 * Custom telemetry (events and metrics) for Application Insights. On Azure the Functions host
 * records each invocation's request and log lines itself; this module adds business signals, under the
 * running invocation's operation id (`trace-context.ts`), so a verification or an order reads as
 * one end-to-end transaction. The SDK (`applicationinsights` v3 on OpenTelemetry, ~0.5 s to load) is
 * loaded on the first signal, never at cold start. Without a connection string it writes to the logger.
 *
 * How the exporter reaches the ingestion endpoint (a loopback HTTP one locally, Entra auth on
 * Azure) is `telemetry-exporter.ts`. Never personal data in names or properties: ids, codes and
 * counts only.
 */
import type { TelemetryClient } from 'applicationinsights';
import type { Logger } from './logger';
import { consoleLogger } from './logger';
import { ensureOtelContext, runInOtelTrace } from './otel-context';
import { exporterOptions } from './telemetry-exporter';
import { currentTraceparent } from './trace-context';

interface Loaded {
  client: TelemetryClient;
}

let loaded: Loaded | null | undefined;

function load(): Loaded | null {
  if (loaded !== undefined) return loaded;
  const connectionString = process.env.APPLICATIONINSIGHTS_CONNECTION_STRING;
  if (!connectionString) return (loaded = null);
  const appInsights = require('applicationinsights') as typeof import('applicationinsights');
  // Our own providers, no auto-instrumentation (cold start; the host records requests and logs).
  const client = new appInsights.TelemetryClient(connectionString, { useGlobalProviders: false });
  client.config.azureMonitorOpenTelemetryOptions = {
    azureMonitorExporterOptions: exporterOptions(connectionString, process.env),
    enableLiveMetrics: false,
    enablePerformanceCounters: false,
    enableStandardMetrics: false,
  };
  // Parenting by the active context needs a real context manager; the host's worker registers none.
  ensureOtelContext();
  return (loaded = { client });
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

/**
 * Loads the SDK now (when a connection string is set) instead of at the first signal. Local mode
 * does this at start: the synchronous load (about 0.5 s, several seconds on a busy machine) inside
 * a request outlasts the local Cosmos server's keep-alive, and the request's next query meets a
 * socket the server has closed. On Azure the SDK stays lazy (cold start).
 */
export function preloadTelemetry(): void {
  load();
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
