/**
 * The order state machine (pure). Every status change names an action; the
 * table says from which statuses it may run, where it leads, and which roles
 * may run it for which direction. Ownership (a merchant's own order, a trader's
 * own assignment) is checked here too, so no caller can forget it.
 */
import { PLATFORM_TENANT } from '../auth/platform-tenant';
import { conflict, DomainError, forbidden } from '../errors';
import type { Actor, OrderAction, OrderDirection, Role } from './schemas';

export const ORDER_STATUSES = [
  'new', // accepted, waiting for assignment
  'retrying', // no requisite yet; the queue tries again after a backoff
  'review', // fraud check asked for a human
  'assigned', // a requisite is reserved; the payer has the details
  'awaiting_confirmation', // the payer says the money was sent (pay-in: client; pay-out: trader)
  'completed', // confirmed; the ledger is settled
  'cancelled',
  'expired', // nobody paid within ORDER_TIMEOUT_MINUTES
  'disputed',
  'failed', // denied by fraud check, out of retries or out of balance
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** Statuses nothing leaves except through a dispute. */
export const FINAL_STATUSES: readonly OrderStatus[] = ['completed', 'cancelled', 'expired', 'failed'];

/** Steps the engine takes by itself (role `system` only). */
export type EngineStep = 'assign' | 'retry' | 'hold_for_review' | 'fail' | 'expire';

interface Rule {
  from: readonly OrderStatus[];
  to: OrderStatus;
  /** Roles allowed, per direction. */
  roles: Readonly<Record<OrderDirection, readonly Role[]>>;
}

const both = (roles: readonly Role[]) => ({ payin: roles, payout: roles });
const STAFF: readonly Role[] = ['support', 'admin'];
const WAITING: readonly OrderStatus[] = ['new', 'retrying', 'review'];

const RULES: Readonly<Record<OrderAction | EngineStep, Rule>> = {
  assign: { from: ['new', 'retrying'], to: 'assigned', roles: both(['system']) },
  retry: { from: ['new', 'retrying'], to: 'retrying', roles: both(['system']) },
  hold_for_review: { from: ['new', 'retrying'], to: 'review', roles: both(['system']) },
  fail: { from: ['new', 'retrying', 'review'], to: 'failed', roles: both(['system', ...STAFF]) },
  expire: { from: ['new', 'retrying', 'assigned'], to: 'expired', roles: both(['system']) },
  confirm_payment: {
    from: ['assigned'],
    to: 'awaiting_confirmation',
    roles: { payin: ['merchant', 'payer', 'system', ...STAFF], payout: ['trader', 'teamlead', ...STAFF] },
  },
  confirm: {
    from: ['assigned', 'awaiting_confirmation'],
    to: 'completed',
    // Pay-in: the trader sees the money on his card. Pay-out: the trader's transfer is confirmed by the merchant or staff.
    roles: { payin: ['trader', 'teamlead', ...STAFF], payout: ['merchant', 'system', ...STAFF] },
  },
  cancel: { from: [...WAITING, 'assigned'], to: 'cancelled', roles: both(['merchant', 'trader', 'teamlead', ...STAFF]) },
  dispute: { from: ['awaiting_confirmation', 'expired', 'cancelled'], to: 'disputed', roles: both(['merchant', 'trader', ...STAFF]) },
  resolve_complete: { from: ['disputed'], to: 'completed', roles: both(STAFF) },
  resolve_cancel: { from: ['disputed'], to: 'cancelled', roles: both(STAFF) },
  approve_review: { from: ['review'], to: 'new', roles: both(STAFF) },
  reject_review: { from: ['review'], to: 'failed', roles: both(STAFF) },
};

/** The parts of an order the rules look at. */
export interface TransitionSubject {
  status: OrderStatus;
  direction: OrderDirection;
  tenantId: string;
  traderId?: string;
  teamLeadId?: string;
}

/**
 * Decisions that move money between a merchant and a trader (dispute outcomes, fraud review,
 * failing a held order) belong to neutral staff: support or admins of the platform tenant,
 * never a merchant tenant's own staff, who could otherwise rule in their own favour.
 */
const NEUTRAL_STAFF_ACTIONS: readonly (OrderAction | EngineStep)[] = ['resolve_complete', 'resolve_cancel', 'approve_review', 'reject_review', 'fail'];

/** Is this actor support or admin of the platform tenant (the operator, neutral between merchant and trader)? */
export const isPlatformStaff = (actor: Actor): boolean =>
  (actor.role === 'support' || actor.role === 'admin') && actor.tenantId === PLATFORM_TENANT;

/** 403 `platform-staff-required`: a merchant tenant's staff asked for a neutral decision. */
export const platformStaffRequired = (action: string) =>
  new DomainError('platform-staff-required', `Only platform support or admins may ${action} an order`, 403);

/** Narrower rules than the table: who may do what from where. */
function extraRestriction(action: OrderAction | EngineStep, order: TransitionSubject, actor: Actor): string | undefined {
  // Before assignment there is no trader; only the merchant or staff can cancel.
  if (action === 'cancel' && (actor.role === 'trader' || actor.role === 'teamlead') && order.status !== 'assigned') {
    return 'traders may only decline assigned orders';
  }
  // A trader disputes only what he was waiting to confirm, not an expired or cancelled order.
  if (action === 'dispute' && actor.role === 'trader' && order.status !== 'awaiting_confirmation') {
    return 'traders may only dispute orders awaiting confirmation';
  }
  // A refunded pay-out cannot be re-opened: its hold went back to the store.
  if (action === 'dispute' && order.direction === 'payout' && order.status !== 'awaiting_confirmation') {
    return 'pay-outs may only be disputed while awaiting confirmation';
  }
  return undefined;
}

/** Does this actor own the order (or is staff / the engine)? */
export function ownsOrder(actor: Actor, order: TransitionSubject): boolean {
  switch (actor.role) {
    case 'system':
      return true;
    case 'admin':
    case 'support':
      // Platform staff reach every merchant's orders; a merchant tenant's staff only its own.
      return actor.tenantId !== undefined && (actor.tenantId === PLATFORM_TENANT || actor.tenantId === order.tenantId);
    case 'merchant':
      return actor.tenantId !== undefined && actor.tenantId === order.tenantId;
    case 'payer':
      // The gateway admits a payer only with the order's own link token (payer/payer-gateway.ts).
      return actor.tenantId !== undefined && actor.tenantId === order.tenantId;
    case 'trader':
      return actor.traderId !== undefined && actor.traderId === order.traderId;
    case 'teamlead':
      return actor.teamLeadId !== undefined && actor.teamLeadId === order.teamLeadId;
  }
}

/** Statuses an action may start from (for callers that want to show available actions). */
export function allowedFrom(action: OrderAction | EngineStep): readonly OrderStatus[] {
  return RULES[action].from;
}

/**
 * The status `action` leads to, or a DomainError: `forbidden` (403) when the
 * role or ownership is wrong, `illegal-transition` (409, with `currentStatus`)
 * when the order is not in a status the action may start from.
 */
export function nextStatus(order: TransitionSubject, action: OrderAction | EngineStep, actor: Actor): OrderStatus {
  const rule = RULES[action];
  if ((actor.role === 'support' || actor.role === 'admin') && NEUTRAL_STAFF_ACTIONS.includes(action) && !isPlatformStaff(actor)) {
    throw platformStaffRequired(action);
  }
  if (!rule.roles[order.direction].includes(actor.role) || !ownsOrder(actor, order)) {
    throw forbidden(`A ${actor.role} may not ${action} this ${order.direction} order`);
  }
  if (!rule.from.includes(order.status)) {
    throw conflict('illegal-transition', `Cannot ${action} an order that is ${order.status}`, {
      currentStatus: order.status,
      action,
    });
  }
  const restriction = extraRestriction(action, order, actor);
  if (restriction) throw forbidden(restriction);
  return rule.to;
}
