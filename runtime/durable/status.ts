/**
 * Instance status documents in the shape the extension's HTTP API returns and
 * the durable-functions client parses (`input`/`output` keys always present).
 */
import { EventType, type HistoryEvent } from './history';
import type { DurableStore } from './store';
import type { InstanceRecord, RuntimeStatus } from './state';

export interface StatusDocument {
  name: string;
  instanceId: string;
  runtimeStatus: RuntimeStatus;
  input: unknown;
  output: unknown;
  customStatus: unknown;
  createdTime: string;
  lastUpdatedTime: string;
  history?: unknown[];
  historyEvents?: unknown[];
}

const eventNames = Object.fromEntries(Object.entries(EventType).map(([name, value]) => [value, name])) as Record<number, string>;

function parseJson(text: string | undefined): unknown {
  if (text === undefined) return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export interface StatusOptions {
  showInput: boolean;
  showHistory: boolean;
  showHistoryOutput: boolean;
}

export async function statusDocument(store: DurableStore, record: InstanceRecord, options: StatusOptions): Promise<StatusDocument> {
  const doc: StatusDocument = {
    name: record.name,
    instanceId: record.instanceId,
    runtimeStatus: record.status,
    input: options.showInput ? parseJson(record.input) : null,
    output: parseJson(record.output),
    customStatus: parseJson(record.customStatus),
    createdTime: record.createdTime,
    lastUpdatedTime: record.lastUpdatedTime,
  };
  if (options.showHistory) {
    const events = await store.readHistory(record.instanceId, record.executionId, record.episodes);
    // The extension names this `historyEvents`; the JS client reads `history`. Serve both.
    doc.history = doc.historyEvents = events.map((e) => describeEvent(e, options.showHistoryOutput));
  }
  return doc;
}

function describeEvent(event: HistoryEvent, showOutput: boolean): Record<string, unknown> {
  const { EventType: type, IsPlayed: _played, Result: result, Input: _input, ...rest } = event;
  return {
    ...rest,
    EventType: eventNames[type] ?? String(type),
    ...(showOutput && typeof result === 'string' ? { Result: parseJson(result) } : {}),
  };
}

export interface StatusQuery {
  createdTimeFrom?: Date;
  createdTimeTo?: Date;
  runtimeStatus?: string[];
  instanceIdPrefix?: string;
}

export function matchesQuery(record: InstanceRecord, query: StatusQuery): boolean {
  const created = new Date(record.createdTime);
  if (query.createdTimeFrom && created < query.createdTimeFrom) return false;
  if (query.createdTimeTo && created > query.createdTimeTo) return false;
  if (query.runtimeStatus && query.runtimeStatus.length > 0 && !query.runtimeStatus.includes(record.status)) return false;
  if (query.instanceIdPrefix && !record.instanceId.startsWith(query.instanceIdPrefix)) return false;
  return true;
}
