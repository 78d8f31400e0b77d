/**
 * The Durable Functions extension of the local runtime: orchestrations replayed
 * through the real durable-functions SDK, history in Azurite tables, and the
 * durable client's HTTP API on the host's server.
 */
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { timeSpanMs } from '../time-span';
import type { HostContext, RuntimeExtension } from '../types';
import { durableApiPrefix, durableClientBinding } from './binding';
import { DurableEngine } from './engine';
import { durableHttpHandler } from './http-api';
import { DurableStore } from './store';

export interface DurableExtensionOptions {
  /** Work-items poll interval when idle, ms (new work is picked up at once). Default 250. */
  pollIntervalMs?: number;
  /**
   * Activities this host runs at once. Default: host.json `maxConcurrentActivityFunctions`, else the
   * extension's default of 10 × the processor count.
   */
  maxConcurrentActivities?: number;
  /**
   * Task hub name; default: setting `AzureFunctionsJobHost__extensions__durableTask__hubName`, else host.json
   * `extensions.durableTask.hubName` (with `%SETTING%` resolved), else `TestHubName`.
   */
  hubName?: string;
  /** Where host.json is; default `<appDir>/host.json` (the `--app-dir`, not the working directory). */
  hostJsonPath?: string;
  /** Timers further away are split into segments (.NET TimeSpan text). Default `6.00:00:00` (Azure Storage's limit). */
  maximumShortTimerDuration?: string;
  /** Segment length of split timers (.NET TimeSpan text). Default `3.00:00:00`. */
  longRunningTimerIntervalDuration?: string;
}

export { timeSpanMs } from '../time-span';

/** host.json `extensions.durableTask`, as far as the local engine reads it. */
interface DurableTaskSection {
  hubName?: unknown;
  maxConcurrentActivityFunctions?: unknown;
}

function durableTaskSection(path: string): DurableTaskSection {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return {}; // no host.json: the defaults
  }
  return (parsed as { extensions?: { durableTask?: DurableTaskSection } }).extensions?.durableTask ?? {};
}

function positiveInt(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : undefined;
}

export function durableExtension(options: DurableExtensionOptions = {}): RuntimeExtension {
  let engine: DurableEngine | undefined;
  return {
    name: 'durable',
    async start(host: HostContext): Promise<void> {
      const section = durableTaskSection(options.hostJsonPath ?? join(host.appDir, 'host.json'));
      // App settings override host.json as on Azure (`AzureFunctionsJobHost__<path>`).
      const hubName = options.hubName
        ?? host.settings['AzureFunctionsJobHost__extensions__durableTask__hubName']
        ?? (typeof section.hubName === 'string' ? host.resolveSetting(section.hubName) : undefined)
        ?? 'TestHubName';
      const store = new DurableStore(host.storageConnectionString, hubName);
      await store.init();
      // Entities (entityTrigger) never reach here: the host refuses them at start (bindings/support.ts).
      // The client rewrites webhook origins to localhost:7071 unless WEBSITE_HOSTNAME names a real host.
      if (!process.env['WEBSITE_HOSTNAME'] || process.env['WEBSITE_HOSTNAME'].includes('0.0.0.0')) {
        process.env['WEBSITE_HOSTNAME'] = new URL(host.origin).host;
      }
      const binding = durableClientBinding(host.origin, hubName);
      host.addInputBindingProvider('durableClient', () => binding);
      host.addInputBindingProvider('orchestrationClient', () => binding);

      const maximumShortTimerDuration = options.maximumShortTimerDuration ?? '6.00:00:00';
      const longRunningTimerIntervalDuration = options.longRunningTimerIntervalDuration ?? '3.00:00:00';
      const started = new DurableEngine(store, host.invoker, host.log, {
        pollIntervalMs: options.pollIntervalMs ?? 250,
        maxConcurrentActivities: options.maxConcurrentActivities
          ?? positiveInt(section.maxConcurrentActivityFunctions)
          ?? 10 * availableParallelism(),
        limits: { maximumShortTimerMs: timeSpanMs(maximumShortTimerDuration), longRunningTimerIntervalMs: timeSpanMs(longRunningTimerIntervalDuration) },
        timerDurations: { maximumShortTimerDuration, longRunningTimerIntervalDuration },
      });
      const orchestrators = (): Set<string> => new Set(host.functionsWithTrigger('orchestrationTrigger').map((f) => f.name));
      host.addHttpHandler(durableApiPrefix, durableHttpHandler({
        store, binding, orchestratorExists: (name) => orchestrators().has(name), onWork: () => started.kick(), onStarted: (item) => started.handOver(item),
      }));
      engine = started;
      started.start();
      host.log.info(`durable: task hub ${hubName} (tables ${Object.values(store.tableNames).join(', ')})`);
    },
    async stop(): Promise<void> {
      await engine?.stop();
      engine = undefined;
    },
  };
}

export { durableClientBinding, type DurableClientBinding } from './binding';
