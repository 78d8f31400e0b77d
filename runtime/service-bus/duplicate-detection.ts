/**
 * Service Bus duplicate detection on a table: one row per (queue, messageId) holding when the id was
 * first accepted. A second send of the same id inside the window is dropped; after the window the row
 * is taken over (ETag-conditional, so two racing senders cannot both win).
 */
import type { TableClient } from '@azure/data-tables';

interface SeenRow {
  partitionKey: string;
  rowKey: string;
  acceptedAtMs: number;
}

export class DuplicateDetector {
  private ready?: Promise<void>;

  constructor(
    private readonly table: TableClient,
    private readonly windowMs: number,
  ) {}

  /** Records `messageId` for `queue`; false when it was already accepted inside the window. */
  async tryAccept(queue: string, messageId: string, now: Date): Promise<boolean> {
    await this.ensureTable();
    const row: SeenRow = { partitionKey: queue, rowKey: rowKeyFor(messageId), acceptedAtMs: now.getTime() };
    try {
      await this.table.createEntity(row);
      return true;
    } catch (error) {
      if (statusOf(error) !== 409) throw error;
    }
    const existing = await this.table.getEntity<SeenRow>(row.partitionKey, row.rowKey);
    if (now.getTime() - existing.acceptedAtMs < this.windowMs) return false;
    try {
      await this.table.updateEntity(row, 'Replace', { etag: existing.etag });
      return true;
    } catch (error) {
      if (statusOf(error) === 412) return false; // another sender took it over first
      throw error;
    }
  }

  /** Undoes `tryAccept` when the send itself failed, so a retry with the same id is not dropped. */
  async forget(queue: string, messageId: string): Promise<void> {
    await this.table.deleteEntity(queue, rowKeyFor(messageId)).catch(() => undefined);
  }

  private ensureTable(): Promise<void> {
    this.ready ??= this.table.createTable().then(
      () => undefined,
      (error: unknown) => {
        this.ready = undefined;
        throw error;
      },
    );
    return this.ready;
  }
}

/** RowKeys may not contain / \ # ? or control characters; percent-encoding removes all of them. */
function rowKeyFor(messageId: string): string {
  return encodeURIComponent(messageId).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

export function statusOf(error: unknown): number | undefined {
  if (typeof error === 'object' && error !== null && 'statusCode' in error) {
    const status = (error as { statusCode: unknown }).statusCode;
    return typeof status === 'number' ? status : undefined;
  }
  return undefined;
}
