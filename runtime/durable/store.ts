/**
 * Durable state in Azurite tables, so an orchestration survives a host crash.
 * Three tables per task hub (named like the Azure Storage provider's):
 * `<hub>Instances` (one row per instance: status + engine bookkeeping; the
 * commit point, updated with an ETag condition), `<hub>History` (one row per
 * episode), `<hub>WorkItems` (pending events, timers and activities, partitioned
 * by instance so "record result + delete activity" is one transaction).
 * Payloads over 45 KB live in the `<hub>-largemessages` blob container (payloads.ts).
 */
import { TableClient, odata, type TableEntity } from '@azure/data-tables';
import type { HistoryEvent } from './history';
import { PayloadStore } from './payloads';
import type { InstanceRecord } from './state';

/** A pending unit of work; `executionId` scopes completions and timers to one execution. */
export type WorkItem =
  | { kind: 'event'; id: string; instanceId: string; executionId?: string; visibleAt: string; order: string; event: HistoryEvent }
  | {
      kind: 'activity'; id: string; instanceId: string; executionId: string; visibleAt: string; order: string;
      taskId: number; name: string; input: unknown;
    };

function statusCode(error: unknown): number | undefined {
  return typeof error === 'object' && error !== null && 'statusCode' in error ? Number(error.statusCode) : undefined;
}

async function ignoreNotFound(op: Promise<unknown>): Promise<void> {
  try {
    await op;
  } catch (error) {
    if (statusCode(error) !== 404) throw error;
  }
}

/** Table names must be alphanumeric and start with a letter. */
export function tableNamesFor(hubName: string): { instances: string; history: string; workItems: string } {
  const base = hubName.replace(/[^A-Za-z0-9]/g, '');
  if (!/^[A-Za-z]/.test(base) || base.length < 3 || base.length > 45) {
    throw new Error(`task hub name "${hubName}" must be 3-45 letters/digits starting with a letter`);
  }
  return { instances: `${base}Instances`, history: `${base}History`, workItems: `${base}WorkItems` };
}

/** Operations per table transaction (the Table service's limit). */
const transactionLimit = 100;

export class ConcurrencyError extends Error {
  override name = 'ConcurrencyError';
}

export class DurableStore {
  readonly tableNames: ReturnType<typeof tableNamesFor>;
  private readonly instances: TableClient;
  private readonly history: TableClient;
  private readonly workItems: TableClient;
  private readonly payloads: PayloadStore;
  /** Payload blob of each instance row as last read, released once a newer row replaced it. */
  private readonly instanceBlobs = new Map<string, Record<string, unknown>>();
  /**
   * Each instance's row as this store last read or wrote it, with its ETag, so the engine's next
   * step does not read the row it has just written. Safe because every commit is ETag-conditional:
   * a stale entry only loses its commit race (and is dropped), and history rows are insert-first
   * (`writeEpisode`). Records handed out from here are shared: callers must not mutate them.
   */
  private readonly known = new Map<string, { record: InstanceRecord; etag: string }>();

  private remember(instanceId: string, loaded: { record: InstanceRecord; etag: string } | undefined): void {
    this.known.delete(instanceId); // re-insert: most recently used last
    if (!loaded) return;
    this.known.set(instanceId, loaded);
    if (this.known.size > 1000) this.known.delete(this.known.keys().next().value as string);
  }

  constructor(connectionString: string, hubName: string) {
    this.tableNames = tableNamesFor(hubName);
    this.payloads = new PayloadStore(connectionString, hubName);
    const options = { allowInsecureConnection: true };
    this.instances = TableClient.fromConnectionString(connectionString, this.tableNames.instances, options);
    this.history = TableClient.fromConnectionString(connectionString, this.tableNames.history, options);
    this.workItems = TableClient.fromConnectionString(connectionString, this.tableNames.workItems, options);
  }

  async init(): Promise<void> {
    await Promise.all([this.instances.createTable(), this.history.createTable(), this.workItems.createTable(), this.payloads.init()]);
  }

  // ── instances ────────────────────────────────────────────────────────────
  private async instanceEntity(record: InstanceRecord): Promise<TableEntity<Record<string, unknown>>> {
    return {
      partitionKey: record.instanceId, rowKey: '', name: record.name, status: record.status,
      createdTime: record.createdTime, lastUpdatedTime: record.lastUpdatedTime, ...(await this.payloads.encode(record, record.instanceId)),
    };
  }

  async getInstance(instanceId: string): Promise<{ record: InstanceRecord; etag: string } | undefined> {
    try {
      const entity = await this.instances.getEntity<Record<string, unknown>>(instanceId, '');
      this.instanceBlobs.set(instanceId, entity);
      const loaded = { record: await this.payloads.decode<InstanceRecord>(entity), etag: entity.etag };
      this.remember(instanceId, loaded);
      return loaded;
    } catch (error) {
      if (statusCode(error) === 404) {
        this.remember(instanceId, undefined);
        return undefined;
      }
      throw error;
    }
  }

  /**
   * The row as this store last saw it (see `known`), else read. For the engine's own steps only:
   * a decision that drops work must confirm with `getInstance`, which is always fresh.
   */
  async knownInstance(instanceId: string): Promise<{ record: InstanceRecord; etag: string; cached: boolean } | undefined> {
    const known = this.known.get(instanceId);
    if (known) return { ...known, cached: true };
    const loaded = await this.getInstance(instanceId);
    return loaded && { ...loaded, cached: false };
  }

  /** Creates the row; false when the instance already exists. */
  async createInstance(record: InstanceRecord): Promise<boolean> {
    try {
      const { etag } = await this.instances.createEntity(await this.instanceEntity(record));
      if (etag) this.remember(record.instanceId, { record, etag });
      return true;
    } catch (error) {
      if (statusCode(error) === 409) return false;
      throw error;
    }
  }

  /** Replaces the row only if nobody changed it since `etag` was read. */
  async replaceInstance(record: InstanceRecord, etag: string): Promise<void> {
    const entity = await this.instanceEntity(record);
    try {
      const written = await this.instances.updateEntity(entity, 'Replace', { etag });
      this.remember(record.instanceId, written.etag ? { record, etag: written.etag } : undefined);
    } catch (error) {
      await this.payloads.release(entity);
      this.remember(record.instanceId, undefined);
      if (statusCode(error) === 412 || statusCode(error) === 404) {
        this.forgetHistory(record.instanceId);
        throw new ConcurrencyError(`instance ${record.instanceId} changed concurrently`);
      }
      throw error;
    }
    const previous = this.instanceBlobs.get(record.instanceId);
    this.instanceBlobs.set(record.instanceId, entity);
    // Later, not now: a reader that fetched the old row a moment ago may still be downloading its blob.
    if (previous?.['etag'] === etag) setTimeout(() => void this.payloads.release(previous), 30_000).unref();
  }

  async listInstances(): Promise<InstanceRecord[]> {
    const records: InstanceRecord[] = [];
    for await (const entity of this.instances.listEntities<Record<string, unknown>>()) records.push(await this.payloads.decode(entity));
    return records;
  }

  /** Deletes an instance with its history and pending work. */
  async purgeInstance(instanceId: string): Promise<void> {
    const filter = { queryOptions: { filter: odata`PartitionKey eq ${instanceId}` } };
    for (const table of [this.history, this.workItems]) {
      for await (const entity of table.listEntities(filter)) {
        await ignoreNotFound(table.deleteEntity(entity.partitionKey ?? '', entity.rowKey ?? ''));
      }
    }
    await ignoreNotFound(this.instances.deleteEntity(instanceId, ''));
    this.instanceBlobs.delete(instanceId);
    this.remember(instanceId, undefined);
    this.forgetHistory(instanceId);
    await this.payloads.purge(instanceId);
  }

  // ── history ──────────────────────────────────────────────────────────────
  private static historyKey(executionId: string, episode: number): string {
    return `${executionId}-${String(episode).padStart(8, '0')}`;
  }

  /**
   * Episodes this store wrote or read, per instance (the engine that runs an instance usually
   * wrote its history itself), so an episode does not query the history table again. Rows are
   * written once per committed episode; a lost commit race drops the instance's entry.
   */
  private readonly historyCache = new Map<string, { executionId: string; episodes: HistoryEvent[][] }>();

  private cacheEpisode(instanceId: string, executionId: string, episode: number, events: HistoryEvent[]): void {
    let entry = this.historyCache.get(instanceId);
    if (!entry || entry.executionId !== executionId) entry = { executionId, episodes: [] };
    entry.episodes[episode] = events;
    this.historyCache.delete(instanceId); // re-insert: most recently used last
    this.historyCache.set(instanceId, entry);
    if (this.historyCache.size > 1000) this.historyCache.delete(this.historyCache.keys().next().value as string);
  }

  /** Forgets cached history after a lost commit race: another engine may have rewritten the episode. */
  forgetHistory(instanceId: string): void {
    this.historyCache.delete(instanceId);
  }

  /**
   * Insert-first: the row of a committed episode is never overwritten, even by a step that worked
   * from a stale instance row. A row that exists already is overwritten only when the fresh
   * instance row shows the episode uncommitted (a re-run after a crash); otherwise ConcurrencyError.
   */
  async writeEpisode(instanceId: string, executionId: string, episode: number, events: HistoryEvent[]): Promise<void> {
    const entity = { partitionKey: instanceId, rowKey: DurableStore.historyKey(executionId, episode), ...(await this.payloads.encode(events, instanceId)) };
    try {
      await this.history.createEntity(entity);
    } catch (error) {
      if (statusCode(error) !== 409) throw error;
      const fresh = await this.getInstance(instanceId);
      if (fresh?.record.executionId !== executionId || fresh.record.episodes !== episode) {
        this.forgetHistory(instanceId);
        await this.payloads.release(entity);
        throw new ConcurrencyError(`episode ${episode} of instance ${instanceId} was committed concurrently`);
      }
      await this.history.upsertEntity(entity, 'Replace');
    }
    this.cacheEpisode(instanceId, executionId, episode, events);
  }

  /** Events of the first `episodes` committed episodes, in order. */
  async readHistory(instanceId: string, executionId: string, episodes: number): Promise<HistoryEvent[]> {
    if (episodes === 0) return [];
    const cached = this.historyCache.get(instanceId);
    if (cached?.executionId === executionId) {
      const wanted = Array.from({ length: episodes }, (_, i) => cached.episodes[i]);
      if (wanted.every((events) => events !== undefined)) return wanted.flatMap((events) => events ?? []);
    }
    const rows: { key: string; events: HistoryEvent[] }[] = [];
    const filter = odata`PartitionKey eq ${instanceId} and RowKey ge ${`${executionId}-`} and RowKey lt ${`${executionId}.`}`;
    for await (const entity of this.history.listEntities<Record<string, unknown>>({ queryOptions: { filter } })) {
      rows.push({ key: entity.rowKey ?? '', events: await this.payloads.decode<HistoryEvent[]>(entity) });
    }
    const committed = new Set(Array.from({ length: episodes }, (_, i) => DurableStore.historyKey(executionId, i)));
    const ordered = rows.filter((row) => committed.has(row.key)).sort((a, b) => a.key.localeCompare(b.key));
    if (ordered.length === episodes) ordered.forEach((row, i) => this.cacheEpisode(instanceId, executionId, i, row.events));
    return ordered.flatMap((row) => row.events);
  }

  // ── work items ───────────────────────────────────────────────────────────
  private async workEntity(item: WorkItem): Promise<TableEntity<Record<string, unknown>>> {
    return {
      partitionKey: item.instanceId, rowKey: item.id, kind: item.kind, visibleAt: item.visibleAt, order: item.order,
      ...(await this.payloads.encode(item, item.instanceId)),
    };
  }

  /** Upsert: work ids are deterministic, so writing the same work twice is harmless. */
  async putWorkItem(item: WorkItem): Promise<void> {
    await this.workItems.upsertEntity(await this.workEntity(item), 'Replace');
  }

  /** Insert-only: false when an item with this id exists. */
  async insertWorkItem(item: WorkItem): Promise<boolean> {
    const entity = await this.workEntity(item);
    try {
      await this.workItems.createEntity(entity);
      return true;
    } catch (error) {
      if (statusCode(error) !== 409) throw error;
      await this.payloads.release(entity);
      return false;
    }
  }

  /** Writes an instance's work items in one transaction (they share its partition). */
  async putWorkItems(instanceId: string, items: WorkItem[]): Promise<void> {
    if (items.length <= 1) {
      if (items[0]) await this.putWorkItem(items[0]);
      return;
    }
    for (let at = 0; at < items.length; at += transactionLimit) {
      const batch = items.slice(at, at + transactionLimit);
      if (batch.some((item) => item.instanceId !== instanceId)) throw new Error(`work items of another instance than ${instanceId}`);
      await this.workItems.submitTransaction(await Promise.all(batch.map(async (item) => ['upsert', await this.workEntity(item), 'Replace'] as const)));
    }
  }

  async deleteWorkItem(instanceId: string, id: string): Promise<void> {
    await ignoreNotFound(this.workItems.deleteEntity(instanceId, id));
  }

  /** Deletes some of an instance's work items, in one transaction when none is gone already. */
  async deleteWorkItems(instanceId: string, ids: string[]): Promise<void> {
    if (ids.length <= 1 || ids.length > transactionLimit) {
      for (const id of ids) await this.deleteWorkItem(instanceId, id);
      return;
    }
    try {
      await this.workItems.submitTransaction(ids.map((rowKey) => ['delete', { partitionKey: instanceId, rowKey }] as const));
    } catch (error) {
      if (statusCode(error) !== 404) throw error;
      for (const id of ids) await this.deleteWorkItem(instanceId, id); // one was gone: the transaction did nothing
    }
  }

  /** Records an activity's outcome and retires the activity in one transaction. */
  async completeActivity(activity: WorkItem, outcome: WorkItem): Promise<void> {
    try {
      await this.workItems.submitTransaction([
        ['upsert', await this.workEntity(outcome), 'Replace'],
        ['delete', { partitionKey: activity.instanceId, rowKey: activity.id }],
      ]);
    } catch (error) {
      if (statusCode(error) !== 404) throw error;
      await this.putWorkItem(outcome); // the activity row was already gone
    }
  }

  /** Work whose time has come, in delivery order. */
  async listDueWorkItems(now: Date): Promise<WorkItem[]> {
    const filter = odata`visibleAt le ${now.toISOString()}`;
    const items: WorkItem[] = [];
    for await (const entity of this.workItems.listEntities<Record<string, unknown>>({ queryOptions: { filter } })) {
      items.push(await this.payloads.decode<WorkItem>(entity));
    }
    return items.sort((a, b) => a.order.localeCompare(b.order));
  }

  async listWorkItems(instanceId: string): Promise<WorkItem[]> {
    const filter = odata`PartitionKey eq ${instanceId}`;
    const items: WorkItem[] = [];
    for await (const entity of this.workItems.listEntities<Record<string, unknown>>({ queryOptions: { filter } })) {
      items.push(await this.payloads.decode<WorkItem>(entity));
    }
    return items;
  }
}
