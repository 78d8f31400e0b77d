/**
 * The audit trail's one entry point for the app. CONTRACT (implementation owned by the audit work):
 * `recordAudit` appends an entry; `auditCall` builds one from an HTTP call's principal, correlation
 * id and caller IP. Neither throws for a storage failure (logged loudly instead), so an audit outage
 * cannot turn a completed erasure into an error answer.
 */
import { type Principal, principalName, requireRoles, type Role } from '../auth';
import type { ApiCall } from '../http';
import { config } from '../config';
import { COSMOS_CONTAINERS } from '../names';
import { cosmosContainer } from '../platform/cosmos';
import { consoleLogger, type Logger } from '../platform/logger';
import { telemetry } from '../platform/telemetry';
import type { AuditAction, AuditEvent, AuditOutcome } from '../audit/audit-event';
import { callerIp } from '../audit/caller-ip';
import { type AuditStore, createAuditStore } from '../audit/audit-store';
import { lazy } from './lazy';
import { SETTINGS, settingsStore } from './settings';

/** Telemetry event tracked for every audit entry that could not be written. */
export const AUDIT_WRITE_FAILED_EVENT = 'AuditWriteFailed';

export const auditStore: () => Promise<AuditStore> = lazy(async () =>
  createAuditStore(await cosmosContainer(COSMOS_CONTAINERS.audit), {
    pepper: config().API_KEY_PEPPER,
    retentionDays: async () => (await (await settingsStore()).get(SETTINGS.privacy)).auditRetentionDays,
  }),
);

export async function recordAudit(event: AuditEvent, log: Logger = consoleLogger): Promise<void> {
  try {
    await (await auditStore()).append(event);
  } catch (error) {
    // Never the target id: for a subject it is the raw subjectRef (personal data).
    const fields = { correlationId: event.correlationId, tenantId: event.tenantId, action: event.action, targetType: event.targetType };
    log.error('Audit entry not written', { ...fields, error: error instanceof Error ? error.message : String(error) });
    telemetry(log).event(AUDIT_WRITE_FAILED_EVENT, fields);
  }
}

/** The roles an audit entry names for a caller: the user's roles, or `apiKey`. */
export const principalRoles = (p: Principal): string[] => (p.kind === 'user' ? [...p.roles] : ['apiKey']);

export async function auditCall(
  call: ApiCall<Principal>,
  action: AuditAction,
  target: Pick<AuditEvent, 'targetType' | 'targetId'>,
  outcome: AuditOutcome = 'success',
  options: { tenantId?: string; detail?: string } = {},
): Promise<void> {
  const ip = callerIp(call.request.headers);
  await recordAudit(
    {
      action,
      // Another tenant's trail when staff act on that tenant's data (a platform operator settling its review case).
      tenantId: options.tenantId ?? call.principal.tenantId,
      actor: principalName(call.principal),
      roles: principalRoles(call.principal),
      targetType: target.targetType,
      targetId: target.targetId,
      outcome,
      correlationId: call.correlationId,
      ...(ip === undefined ? {} : { ip }),
      ...(options.detail === undefined ? {} : { detail: options.detail }),
    },
    call.log,
  );
}

/**
 * `requireRoles` that leaves a `denied` entry before answering 403, for endpoints whose refusals
 * belong in the trail (use instead of the handler's `roles` option, which refuses before the handler runs).
 */
export async function requireRolesAudited(
  call: ApiCall<Principal>,
  roles: Role[],
  action: AuditAction,
  target: Pick<AuditEvent, 'targetType' | 'targetId'>,
): Promise<void> {
  try {
    requireRoles(call.principal, ...roles);
  } catch (error) {
    await auditCall(call, action, target, 'denied');
    throw error;
  }
}
