/**
 * The requisites selection ranks, and the latest version of each (with its
 * ETag) that this process read or wrote. A reservation starts from that version
 * instead of reading the requisite again: the write is ETag-conditional, so a
 * stale copy costs a 412 and a re-read, never a limit. The list itself is one
 * query per REFERENCE_CACHE_SECONDS; a requisite created since shows up after
 * that, a paused or blocked one is refused at once by its ETag.
 */
import type { Clock } from '../platform/clock';
import { PLATFORM_TENANT, type RequisiteDoc } from './documents';
import { readItem, type OrdersStore } from './store';

export class RequisiteCache {
  private readonly latestDocs = new Map<string, RequisiteDoc>();
  /** When this process last chose each requisite: round-robin among equals before the reservation lands. */
  private readonly chosenAt = new Map<string, string>();
  private listed: { until: number; ids: Promise<string[]> } | undefined;

  constructor(
    private readonly store: OrdersStore,
    private readonly clock: Clock,
    private readonly ttlSeconds: number,
  ) {}

  /** Every requisite, each in the latest version known here. */
  async all(): Promise<RequisiteDoc[]> {
    const now = this.clock.now().getTime();
    if (!this.listed || this.listed.until <= now) {
      const ids = this.list();
      this.listed = { until: now + this.ttlSeconds * 1000, ids };
      ids.catch(() => (this.listed = undefined)); // never cache a failure
    }
    const ids = await this.listed.ids;
    return ids.flatMap((id) => {
      const doc = this.latestDocs.get(id);
      if (!doc) return [];
      const chosen = this.chosenAt.get(id);
      // Ranked as if used when last chosen here: concurrent orders spread over equals instead of queueing on one.
      return chosen && (doc.lastUsedAt === null || chosen > doc.lastUsedAt) ? [{ ...doc, lastUsedAt: chosen }] : [doc];
    });
  }

  private async list(): Promise<string[]> {
    const { resources } = await this.store.requisites.items
      .query<RequisiteDoc>(
        { query: "SELECT * FROM c WHERE c.tenantId = @tenantId AND c.type = 'requisite'", parameters: [{ name: '@tenantId', value: PLATFORM_TENANT }] },
        { partitionKey: PLATFORM_TENANT },
      )
      .fetchAll();
    for (const doc of resources) this.latestDocs.set(doc.id, doc);
    return resources.map((r) => r.id);
  }

  latest(id: string): RequisiteDoc | undefined {
    return this.latestDocs.get(id);
  }

  /** Reads the requisite from Cosmos and keeps that version. */
  async fresh(id: string): Promise<RequisiteDoc | undefined> {
    const doc = await readItem<RequisiteDoc>(this.store.requisites, id, PLATFORM_TENANT);
    if (doc) this.latestDocs.set(id, doc);
    else this.latestDocs.delete(id);
    return doc;
  }

  remember(doc: RequisiteDoc): void {
    this.latestDocs.set(doc.id, doc);
  }

  forget(id: string): void {
    this.latestDocs.delete(id);
  }

  chose(id: string): void {
    this.chosenAt.set(id, this.clock.now().toISOString());
  }

  clear(): void {
    this.latestDocs.clear();
    this.chosenAt.clear();
    this.listed = undefined;
  }
}
