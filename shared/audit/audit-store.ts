/**
 * The append-only audit trail in the Cosmos `audit` container (partition `/tenantId`). Entries
 * are only ever created: never replaced, patched or upserted, so a write with an existing id
 * fails (409) instead of rewriting history. The only deletion is the purge of expired entries.
 */
import type { Container } from '@azure/cosmos';
import { validationFailed } from '../http/validation';
import type { Clock } from '../platform/clock';
import { systemClock } from '../platform/clock';
import { type AuditEntry, type AuditEntryView, toAuditEntry, toAuditEntryView } from './audit-entry';
import type { AuditEvent } from './audit-event';
import { hashSubjectRef } from './audit-hash';
import { type AuditFilter, buildAuditQuery, decodeContinuation, encodeContinuation } from './audit-query';

export interface AuditStoreOptions {
  /** `API_KEY_PEPPER`: key of the IP and subject hashes. */
  pepper: string;
  /** Current `privacy.auditRetentionDays` (read per write, so a settings change applies at once). */
  retentionDays(): Promise<number>;
  clock?: Clock;
}

export interface AuditPageRequest {
  /** Entries per page, 1–200. */
  limit: number;
  /** The opaque token of the previous page. */
  continuationToken?: string;
}

export interface AuditPage {
  items: AuditEntryView[];
  /** Pass back to get the next page; null on the last one. */
  continuationToken: string | null;
}

export interface AuditFilterInput {
  /** An entry's target id; also matches a subject's entries when it is that subject's ref. */
  targetId?: string;
  actor?: string;
  action?: string;
  from?: string;
  to?: string;
}

export interface AuditStore {
  /** Appends one entry; throws on any storage failure (the wiring decides how loud to be). */
  append(event: AuditEvent): Promise<AuditEntry>;
  /** One page of a tenant's entries, newest first. */
  list(tenantId: string, filter: AuditFilterInput, page: AuditPageRequest): Promise<AuditPage>;
}

export function createAuditStore(container: Container, options: AuditStoreOptions): AuditStore {
  const clock = options.clock ?? systemClock;
  return {
    async append(event) {
      const entry = toAuditEntry(event, { at: clock.now(), pepper: options.pepper, retentionDays: await options.retentionDays() });
      await appendAuditEntry(container, entry);
      return entry;
    },
    async list(tenantId, filter, page) {
      const query: AuditFilter = {
        ...filter,
        ...(filter.targetId === undefined ? {} : { subjectTargetId: hashSubjectRef(tenantId, filter.targetId, options.pepper) }),
      };
      return listAuditEntries(container, tenantId, query, page);
    },
  };
}

/** Create-only write: a second entry with the same id is a 409 from Cosmos, never an overwrite. */
export async function appendAuditEntry(container: Container, entry: AuditEntry): Promise<void> {
  await container.items.create(entry);
}

export async function listAuditEntries(
  container: Container,
  tenantId: string,
  filter: AuditFilter,
  page: AuditPageRequest,
): Promise<AuditPage> {
  const continuationToken = page.continuationToken === undefined ? undefined : decodeContinuation(page.continuationToken);
  if (page.continuationToken !== undefined && continuationToken === undefined) throw invalidContinuation();
  const iterator = container.items.query<AuditEntry>(buildAuditQuery(tenantId, filter), {
    partitionKey: tenantId,
    maxItemCount: page.limit,
    ...(continuationToken === undefined ? {} : { continuationToken }),
  });
  let response;
  try {
    response = await iterator.fetchNext();
  } catch (error) {
    // A well-formed but foreign or stale token is the caller's mistake, not a server fault.
    if ((error as { code?: unknown }).code === 400 && continuationToken !== undefined) throw invalidContinuation();
    throw error;
  }
  const next = response.continuationToken;
  return { items: response.resources.map(toAuditEntryView), continuationToken: next ? encodeContinuation(next) : null };
}

const invalidContinuation = () =>
  validationFailed('query string', [{ path: 'continuationToken', message: 'not a token from a previous page of this query' }]);

/**
 * Deletes up to `batch` entries whose `expiresAt` has passed, across tenants; returns how many.
 * On Azure the container's TTL deletes them first; this keeps local mode (no TTL) honest too.
 */
export async function purgeExpiredAudit(container: Container, now: Date, batch: number): Promise<number> {
  if (!Number.isInteger(batch) || batch < 1) throw new RangeError(`batch must be a positive integer, got ${batch}`);
  const { resources } = await container.items
    .query<Pick<AuditEntry, 'id' | 'tenantId'>>({
      query: `SELECT TOP ${batch} c.id, c.tenantId FROM c WHERE c.expiresAt <= @now`,
      parameters: [{ name: '@now', value: now.toISOString() }],
    })
    .fetchAll();
  let purged = 0;
  for (const { id, tenantId } of resources) {
    try {
      await container.item(id, tenantId).delete();
      purged += 1;
    } catch (error) {
      if ((error as { code?: unknown }).code !== 404) throw error; // already gone (TTL or a parallel purge)
    }
  }
  return purged;
}
