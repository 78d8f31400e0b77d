/**
 * One entry of the append-only audit trail (Cosmos `audit`): who did what to which item, when,
 * with what outcome. Never personal data: targets are ids, the caller's IP is stored hashed.
 */
export const AUDIT_ACTIONS = [
  'verification.create',
  'verification.read',
  'verification.erase',
  'subject.erase',
  'subject.export',
  'settings.update',
  'audit.read',
  'order.fraud-check',
  'retention.erase',
  'review.read',
  'review.decide',
  'tenant.create',
  'apikey.create',
  'apikey.revoke',
  'webhook.create',
  'order.status-change',
  'order.details-read',
  'ledger.reconcile',
  'trader.deposit',
  'reference-data.update',
  'store.put',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export const AUDIT_OUTCOMES = ['success', 'denied', 'failed'] as const;
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];

export const AUDIT_TARGET_TYPES = ['verification', 'subject', 'settings', 'audit', 'order', 'erasure', 'tenant', 'apikey', 'ledger', 'trader', 'reference-data', 'store'] as const;
export type AuditTargetType = (typeof AUDIT_TARGET_TYPES)[number];

export interface AuditEvent {
  action: AuditAction;
  tenantId: string;
  /** `principalName(principal)` (`user:<sub>` / `apikey:<keyId>`) or `system:<function>` for timers and orchestrations. */
  actor: string;
  /** The actor's roles (`apiKey` for an API key, `system` for the app itself). */
  roles: string[];
  targetType: AuditTargetType;
  /** An id, never personal data (a subjectRef is hashed by the recorder when targetType is `subject`). */
  targetId: string;
  outcome: AuditOutcome;
  correlationId: string;
  /** Raw caller IP if known; the recorder stores only a keyed hash of it. */
  ip?: string;
  /** A short machine code qualifying the action (e.g. the fraud decision `ALLOW`); never personal data. */
  detail?: string;
}
