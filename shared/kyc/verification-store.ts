import type { Container } from '@azure/cosmos';
import { conflict, DomainError, notFound } from '../errors';
import { isTombstoneDocument, verificationTombstoneSchema, type VerificationTombstone } from './tombstone';
import { verificationRecordSchema, type VerificationRecord } from './verification';

/** A stored verification: the record, or the tombstone an erasure left. */
export type VerificationLookup =
  | { kind: 'record'; record: VerificationRecord }
  | { kind: 'erased'; tombstone: VerificationTombstone };

/** The `verifications` container (partition key `/tenantId`); every read is tenant-scoped. */
export interface VerificationStore {
  /** Writes a new record; 409 `verification-exists` if the id is taken. */
  create(record: VerificationRecord): Promise<VerificationRecord>;
  /**
   * The record, or undefined when absent, erased (a tombstone) or another tenant's (the partition
   * key scopes the read). Every pipeline step reads through this, so "erased" is "nothing to do".
   */
  get(tenantId: string, id: string): Promise<VerificationRecord | undefined>;
  /** The record or its tombstone; undefined when neither exists. */
  lookup(tenantId: string, id: string): Promise<VerificationLookup | undefined>;
  /**
   * Replaces the document (record or not) with `tombstone`, unconditionally: an erasure wins over
   * any concurrent update, whose ETag condition then fails and whose re-read finds no record.
   */
  writeTombstone(tombstone: VerificationTombstone): Promise<void>;
  /**
   * Read-modify-write under the record's ETag, retried on 412 with a fresh read.
   * `change` returns the new record, or undefined for "nothing to do" (no write).
   * Throws 404 when the record is absent; errors from `change` propagate.
   */
  update(
    tenantId: string,
    id: string,
    change: (current: VerificationRecord) => VerificationRecord | undefined,
  ): Promise<{ record: VerificationRecord; changed: boolean }>;
  delete(tenantId: string, id: string): Promise<void>;
  /** Every verification of one subject of the tenant (for erasure and subject access requests). */
  findBySubjectRef(tenantId: string, subjectRef: string): Promise<VerificationRecord[]>;
}

/** Attempts at an ETag-conditioned write before giving up (each follows a fresh read). */
const MAX_UPDATE_ATTEMPTS = 8;

const statusOf = (e: unknown): number | undefined => {
  if (typeof e !== 'object' || e === null) return undefined;
  const { code, statusCode } = e as { code?: unknown; statusCode?: unknown };
  return typeof code === 'number' ? code : typeof statusCode === 'number' ? statusCode : undefined;
};

export function createVerificationStore(container: Container): VerificationStore {
  const parse = (doc: unknown) => verificationRecordSchema.parse(doc);
  const withoutEtag = ({ _etag, ...rest }: VerificationRecord) => rest;

  const lookup = async (tenantId: string, id: string): Promise<VerificationLookup | undefined> => {
    const { resource, statusCode } = await container.item(id, tenantId).read();
    if (statusCode === 404 || !resource) return undefined;
    // Defence in depth: the partition key already scopes the read.
    if ((resource as { tenantId?: unknown }).tenantId !== tenantId) return undefined;
    if (isTombstoneDocument(resource)) return { kind: 'erased', tombstone: verificationTombstoneSchema.parse(resource) };
    return { kind: 'record', record: parse(resource) };
  };

  const get = async (tenantId: string, id: string) => {
    const found = await lookup(tenantId, id);
    return found?.kind === 'record' ? found.record : undefined;
  };

  return {
    async create(record) {
      try {
        const { resource } = await container.items.create(withoutEtag(verificationRecordSchema.parse(record)));
        return parse(resource);
      } catch (e) {
        if (statusOf(e) === 409) throw conflict('verification-exists', `Verification ${record.id} already exists`);
        throw e;
      }
    },

    get,
    lookup,

    async writeTombstone(tombstone) {
      const { _etag, ...doc } = verificationTombstoneSchema.parse(tombstone);
      void _etag;
      await container.items.upsert(doc);
    },

    async update(tenantId, id, change) {
      for (let attempt = 1; attempt <= MAX_UPDATE_ATTEMPTS; attempt++) {
        const current = await get(tenantId, id);
        if (!current) throw notFound('Verification');
        const next = change(current);
        if (next === undefined) return { record: current, changed: false };
        try {
          const { resource } = await container
            .item(id, tenantId)
            .replace(withoutEtag(verificationRecordSchema.parse(next)), {
              accessCondition: { type: 'IfMatch', condition: current._etag ?? '' },
            });
          return { record: parse(resource), changed: true };
        } catch (e) {
          if (statusOf(e) !== 412) throw e;
        }
      }
      throw new DomainError('concurrent-update', `Verification ${id} kept changing; try again`, 503, {}, true);
    },

    async delete(tenantId, id) {
      try {
        await container.item(id, tenantId).delete();
      } catch (e) {
        if (statusOf(e) !== 404) throw e;
      }
    },

    async findBySubjectRef(tenantId, subjectRef) {
      const { resources } = await container.items
        .query(
          {
            query: 'SELECT * FROM c WHERE c.tenantId = @tenantId AND c.subjectRef = @subjectRef',
            parameters: [
              { name: '@tenantId', value: tenantId },
              { name: '@subjectRef', value: subjectRef },
            ],
          },
          { partitionKey: tenantId },
        )
        .fetchAll();
      return resources.map(parse);
    },
  };
}

/** Runs a record update; undefined when the record is gone (erased meanwhile) instead of a 404. */
export async function ifStillThere<T>(update: () => Promise<T>): Promise<T | undefined> {
  try {
    return await update();
  } catch (e) {
    if (e instanceof DomainError && e.code === 'not-found') return undefined;
    throw e;
  }
}
