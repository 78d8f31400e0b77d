/**
 * Blob receipts: which blob versions (name + ETag) a function has processed,
 * stored in an Azurite table so a restarted host does not process them again.
 */
import { createHash } from 'node:crypto';
import { TableClient, odata } from '@azure/data-tables';

export type ReceiptStatus = 'done' | 'failed' | 'poisoned';

export interface Receipt {
  status: ReceiptStatus;
  attempts: number;
}

interface ReceiptEntity {
  partitionKey: string;
  rowKey: string;
  status: string;
  attempts: number;
  blobName: string;
  eTag: string;
  lastError?: string;
}

/** Row key for one blob version; hashed because blob names may hold characters table keys forbid. */
export function receiptKey(blobPath: string, eTag: string): string {
  return createHash('sha256').update(`${blobPath}|${eTag}`).digest('hex');
}

export class BlobReceipts {
  readonly #table: TableClient;

  constructor(connectionString: string, tableName: string) {
    this.#table = TableClient.fromConnectionString(connectionString, tableName, { allowInsecureConnection: true });
  }

  async init(): Promise<void> {
    await this.#table.createTable();
  }

  /** All receipts of one function, by receipt key. */
  async load(functionName: string): Promise<Map<string, Receipt>> {
    const receipts = new Map<string, Receipt>();
    const filter = odata`PartitionKey eq ${functionName}`;
    for await (const entity of this.#table.listEntities<ReceiptEntity>({ queryOptions: { filter } })) {
      receipts.set(entity.rowKey, { status: entity.status as ReceiptStatus, attempts: entity.attempts });
    }
    return receipts;
  }

  async save(functionName: string, key: string, receipt: Receipt, blob: { path: string; eTag: string; error?: string }): Promise<void> {
    const entity: ReceiptEntity = {
      partitionKey: functionName,
      rowKey: key,
      status: receipt.status,
      attempts: receipt.attempts,
      blobName: blob.path,
      eTag: blob.eTag,
      ...(blob.error ? { lastError: blob.error.slice(0, 1000) } : {}),
    };
    await this.#table.upsertEntity(entity, 'Replace');
  }
}
