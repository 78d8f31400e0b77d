/**
 * Custom telemetry (events and metrics) for Application Insights. Requests,
 * dependencies and logs are collected by the Functions host itself; this module
 * only adds business signals, and loads the SDK (~500 ms) on first use, never at
 * cold start. Without a connection string (local mode) it writes to the logger.
 */
import type { TelemetryClient } from 'applicationinsights';
import type { Logger } from './logger';
import { consoleLogger } from './logger';

let client: TelemetryClient | null | undefined;

function telemetryClient(): TelemetryClient | null {
  if (client === undefined) {
    const connectionString = process.env.APPLICATIONINSIGHTS_CONNECTION_STRING;
    if (!connectionString) {
      client = null;
    } else {
      const appInsights = require('applicationinsights') as typeof import('applicationinsights');
      appInsights.setup(connectionString).setAutoCollectConsole(false).start();
      client = appInsights.defaultClient;
    }
  }
  return client;
}

export interface Telemetry {
  event(name: string, properties?: Record<string, string | number | boolean>): void;
  metric(name: string, value: number, properties?: Record<string, string>): void;
}

export function telemetry(fallback: Logger = consoleLogger): Telemetry {
  return {
    event(name, properties) {
      const c = telemetryClient();
      if (c) c.trackEvent({ name, properties });
      else fallback.info(`event ${name}`, properties);
    },
    metric(name, value, properties) {
      const c = telemetryClient();
      if (c) c.trackMetric({ name, value, properties });
      else fallback.info(`metric ${name}=${value}`, properties);
    },
  };
}
