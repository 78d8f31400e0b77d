/**
 * The audit API's filters: the query-string schema, and the Cosmos query they become. Always
 * inside one tenant's partition; newest first by the time-sortable id.
 */
import type { SqlParameter, SqlQuerySpec } from '@azure/cosmos';
import { z } from 'zod';
import { AUDIT_ACTIONS } from './audit-event';

export const DEFAULT_AUDIT_PAGE = 50;
export const MAX_AUDIT_PAGE = 200;

/** An ISO 8601 timestamp, normalised to UTC `toISOString` form so it compares with stored `at` as a string. */
const isoTime = z.iso.datetime({ offset: true }).transform((value) => new Date(value).toISOString());

/** `GET /api/v1/audit` query string; unknown keys are rejected so a misspelt filter never silently widens a read. */
export const auditListQuerySchema = z
  .strictObject({
    /** The target's id; a subject's entries are found by its subjectRef (hashed before the query). */
    targetId: z.string().min(1).max(256).optional(),
    actor: z.string().min(1).max(256).optional(),
    action: z.enum(AUDIT_ACTIONS).optional(),
    /** Inclusive bounds on `at`. */
    from: isoTime.optional(),
    to: isoTime.optional(),
    limit: z.coerce.number().int().min(1).max(MAX_AUDIT_PAGE).default(DEFAULT_AUDIT_PAGE),
    /** Opaque token from the previous page's answer. */
    continuationToken: z.string().min(1).max(8192).optional(),
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { path: ['to'], message: 'must not be before from' });
export type AuditListQuery = z.output<typeof auditListQuerySchema>;

export interface AuditFilter {
  targetId?: string;
  /** The keyed hash of `targetId` as a subjectRef: entries of a subject store only that. */
  subjectTargetId?: string;
  actor?: string;
  action?: string;
  from?: string;
  to?: string;
}

export function buildAuditQuery(tenantId: string, filter: AuditFilter): SqlQuerySpec {
  const where = ['c.tenantId = @tenantId'];
  const parameters: SqlParameter[] = [{ name: '@tenantId', value: tenantId }];
  const add = (clause: string, name: string, value: string) => {
    where.push(clause);
    parameters.push({ name, value });
  };
  if (filter.targetId !== undefined) {
    if (filter.subjectTargetId === undefined) add('c.targetId = @targetId', '@targetId', filter.targetId);
    else {
      add("(c.targetId = @targetId OR (c.targetType = 'subject' AND c.targetId = @subjectTargetId))", '@targetId', filter.targetId);
      parameters.push({ name: '@subjectTargetId', value: filter.subjectTargetId });
    }
  }
  if (filter.actor !== undefined) add('c.actor = @actor', '@actor', filter.actor);
  if (filter.action !== undefined) add('c.action = @action', '@action', filter.action);
  if (filter.from !== undefined) add('c.at >= @from', '@from', filter.from);
  if (filter.to !== undefined) add('c.at <= @to', '@to', filter.to);
  return { query: `SELECT * FROM c WHERE ${where.join(' AND ')} ORDER BY c.id DESC`, parameters };
}

/**
 * Cosmos continuation tokens are JSON; the API hands them out base64url-encoded so they are
 * opaque and URL-safe. Undefined when the value is not one we made (answered as a 400).
 */
export const encodeContinuation = (token: string): string => Buffer.from(token, 'utf8').toString('base64url');

export function decodeContinuation(opaque: string): string | undefined {
  if (!/^[A-Za-z0-9_-]+$/.test(opaque)) return undefined;
  const token = Buffer.from(opaque, 'base64url').toString('utf8');
  try {
    JSON.parse(token);
    return token;
  } catch {
    return undefined;
  }
}
