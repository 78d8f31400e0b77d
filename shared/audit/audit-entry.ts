/**
 * The stored form of an audit event (one Cosmos `audit` document) and the pure step from event
 * to document: the IP and a subject's ref are replaced by keyed hashes, and the retention
 * deadline is fixed at write time.
 */
import type { AuditAction, AuditEvent, AuditOutcome, AuditTargetType } from './audit-event';
import { hashIp, hashSubjectRef } from './audit-hash';
import { auditEntryId } from './audit-id';
import { normaliseIp } from './caller-ip';

/** Cosmos refuses an item `ttl` above this (seconds, about 68 years). */
export const MAX_ITEM_TTL_S = 2_147_483_647;
const DAY_S = 86_400;

export interface AuditEntry {
  /** Time-sortable, unique (`auditEntryId`). */
  id: string;
  /** When it happened, ISO 8601 UTC. */
  at: string;
  /** Partition key. */
  tenantId: string;
  actor: string;
  roles: string[];
  action: AuditAction;
  targetType: AuditTargetType;
  /** The target's id; for `subject` a keyed hash of the subjectRef (`hashSubjectRef`). */
  targetId: string;
  outcome: AuditOutcome;
  correlationId: string;
  /** Keyed hash of the caller's IP (`hashIp`); null when the IP was unknown. */
  ipHash: string | null;
  detail?: string;
  /** When the entry is purged, ISO 8601 UTC (`at` + `auditRetentionDays`). */
  expiresAt: string;
  /** Cosmos item TTL in seconds (the same deadline; Azure deletes the item by itself). */
  ttl: number;
}

export interface EntryOptions {
  at: Date;
  /** `API_KEY_PEPPER`: key of the IP and subject hashes. */
  pepper: string;
  /** `privacy.auditRetentionDays`. */
  retentionDays: number;
  /** Fixed id for tests; default a new `auditEntryId(at)`. */
  id?: string;
}

export function toAuditEntry(event: AuditEvent, options: EntryOptions): AuditEntry {
  const { at, pepper, retentionDays } = options;
  const ip = normaliseIp(event.ip);
  const ttl = Math.min(retentionDays * DAY_S, MAX_ITEM_TTL_S);
  return {
    id: options.id ?? auditEntryId(at),
    at: at.toISOString(),
    tenantId: event.tenantId,
    actor: event.actor,
    roles: [...event.roles],
    action: event.action,
    targetType: event.targetType,
    targetId: event.targetType === 'subject' ? hashSubjectRef(event.tenantId, event.targetId, pepper) : event.targetId,
    outcome: event.outcome,
    correlationId: event.correlationId,
    ipHash: ip ? hashIp(ip, pepper) : null,
    ...(event.detail === undefined ? {} : { detail: event.detail }),
    expiresAt: new Date(at.getTime() + ttl * 1000).toISOString(),
    ttl,
  };
}

/** What the audit API shows of an entry: the stored fields without Cosmos system properties or `ttl`. */
export type AuditEntryView = Omit<AuditEntry, 'ttl'>;

export function toAuditEntryView(entry: AuditEntry): AuditEntryView {
  const { id, at, tenantId, actor, roles, action, targetType, targetId, outcome, correlationId, ipHash, detail, expiresAt } = entry;
  return { id, at, tenantId, actor, roles, action, targetType, targetId, outcome, correlationId, ipHash, ...(detail === undefined ? {} : { detail }), expiresAt };
}
