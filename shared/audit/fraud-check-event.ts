/**
 * The audit entry of an order's fraud check: every decision is in the trail, under the system
 * actor, with the decision (`ALLOW` / `REVIEW` / `DENY`) as the entry's `detail`. Pure, so the
 * orders core can build it without loading the audit wiring.
 */
import type { AuditEvent } from './audit-event';

export const FRAUD_ACTOR = 'system:fraud';

export function fraudCheckEvent(tenantId: string, orderId: string, decision: string, correlationId: string): AuditEvent {
  return {
    action: 'order.fraud-check',
    tenantId,
    actor: FRAUD_ACTOR,
    roles: ['system'],
    targetType: 'order',
    targetId: orderId,
    // The check itself completed; what it decided is the detail, not the outcome.
    outcome: 'success',
    correlationId,
    detail: decision,
  };
}
