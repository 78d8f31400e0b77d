/**
 * The `extensions.serviceBus` section of host.json (Service Bus extension v5 names), as far as the
 * local listener honours it. Unknown keys are ignored, as the real host ignores settings it does not use.
 */
import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { z } from 'zod';

const timeSpan = z.string().regex(/^(\d+\.)?\d{1,2}:\d{2}:\d{2}(\.\d+)?$/, 'expected a TimeSpan such as "00:05:00"');

const serviceBusSectionSchema = z.looseObject({
  autoCompleteMessages: z.boolean().optional(),
  maxConcurrentCalls: z.number().int().positive().optional(),
  maxAutoLockRenewalDuration: timeSpan.optional(),
  maxMessageBatchSize: z.number().int().positive().optional(),
});

export type ServiceBusHostSection = z.input<typeof serviceBusSectionSchema>;

export interface ListenerSettings {
  /** Complete on success, abandon on failure; default true. */
  autoCompleteMessages: boolean;
  /** Handler calls in flight per function; host.json value, else min(16, max(2, CPU count)). */
  maxConcurrentCalls: number;
  /** How long a lock is renewed while a handler runs, in ms; default 5 min. */
  maxAutoLockRenewalDurationMs: number;
  /** Most messages per call for `cardinality: "many"`; default 1000 (Service Bus extension default). */
  maxMessageBatchSize: number;
}

/** Local default for maxConcurrentCalls: Azure's 16 is per instance; a laptop runs everything in one process. */
export const LOCAL_MAX_CONCURRENT_CALLS = Math.min(16, Math.max(2, availableParallelism()));

export function listenerSettings(section: unknown): ListenerSettings {
  const parsed = serviceBusSectionSchema.safeParse(section ?? {});
  if (!parsed.success) throw new Error(`host.json extensions.serviceBus is invalid: ${parsed.error.message}`);
  const s = parsed.data;
  return {
    autoCompleteMessages: s.autoCompleteMessages ?? true,
    maxConcurrentCalls: s.maxConcurrentCalls ?? LOCAL_MAX_CONCURRENT_CALLS,
    maxAutoLockRenewalDurationMs: s.maxAutoLockRenewalDuration ? timeSpanMs(s.maxAutoLockRenewalDuration) : 5 * 60_000,
    maxMessageBatchSize: s.maxMessageBatchSize ?? 1000,
  };
}

/** Reads `extensions.serviceBus` from `<dir>/host.json`; undefined when the file or section is absent. */
export function readServiceBusSection(dir: string): unknown {
  const file = path.join(dir, 'host.json');
  if (!existsSync(file)) return undefined;
  const hostJson: unknown = JSON.parse(readFileSync(file, 'utf8'));
  const extensions = (hostJson as { extensions?: { serviceBus?: unknown } } | null)?.extensions;
  return extensions?.serviceBus;
}

/** "d.hh:mm:ss[.fff]" → ms. */
export function timeSpanMs(value: string): number {
  const [, days, h, m, s] = /^(?:(\d+)\.)?(\d{1,2}):(\d{2}):(\d{2}(?:\.\d+)?)$/.exec(value) ?? [];
  if (h === undefined || m === undefined || s === undefined) throw new Error(`Not a TimeSpan: "${value}"`);
  return Math.round(((Number(days ?? 0) * 24 + Number(h)) * 3600 + Number(m) * 60 + Number(s)) * 1000);
}
