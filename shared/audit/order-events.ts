/**
 * Audit entries of the order engine's people-facing moments: a status change made by a person
 * (merchant, trader, staff, payer), and a read of full payment details (the payer's requisite,
 * a pay-out's payee). Targets are order ids; what was read or changed is a short code, never the
 * details themselves. Pure, so the orders core builds them without loading the audit wiring.
 */
import type { AuditEvent } from './audit-event';

export interface OrderAuditActor {
  /** `user:<sub>`, `apikey:<keyId>`, `payer:<orderId>` or `system:<name>`. */
  id: string;
  role: string;
}

/** `detail` is `<action>:<from>-><to>`, e.g. `resolve_cancel:disputed->cancelled`. */
export function orderStatusEvent(tenantId: string, orderId: string, actor: OrderAuditActor, action: string, from: string, to: string): AuditEvent {
  return {
    action: 'order.status-change',
    tenantId,
    actor: actor.id,
    roles: [actor.role],
    targetType: 'order',
    targetId: orderId,
    outcome: 'success',
    correlationId: orderId,
    detail: `${action}:${from}->${to}`,
  };
}

/** `detail` names the view that showed them: `payer-requisite`, `trader-requisite`, `trader-payee`, `export`. */
export function orderDetailsReadEvent(tenantId: string, orderId: string, actor: OrderAuditActor, view: string): AuditEvent {
  return {
    action: 'order.details-read',
    tenantId,
    actor: actor.id,
    roles: [actor.role],
    targetType: 'order',
    targetId: orderId,
    outcome: 'success',
    correlationId: orderId,
    detail: view,
  };
}
