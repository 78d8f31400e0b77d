/**
 * The payer's side of a pay-in, reached with the order's link token only (no API key, no login):
 * open the order the token names, start its assignment if nobody has yet, show what to pay to,
 * and take the payer's "I have paid". The token is checked against the hash on the order, and
 * the link lives as long as the order can still be paid (then, for status reads only, as long
 * as an order timeout after its last change).
 */
import { orderDetailsReadEvent } from '../../audit/order-events';
import { DomainError } from '../../errors';
import { formatAmount } from '../../money';
import { assignOrder } from '../assign-order';
import type { OrderDeps } from '../deps';
import type { OrderDoc } from '../documents';
import { readItem } from '../store';
import type { Actor } from '../schemas';
import { openRequisiteNumber } from '../payment-details/requisite-number';
import { matchesPayerToken, parsePayerToken } from './payer-token';

/** Statuses in which the payer may still act (init, confirm). */
const PAYABLE: readonly OrderDoc['status'][] = ['new', 'retrying', 'review', 'assigned'];

/** 404 for every token that does not open an order: unknown, forged, another order's, a pay-out. */
export const payerLinkNotFound = () => new DomainError('payer-link-not-found', 'This payment link is not valid', 404);
/** 410: the link's order can no longer be paid (or, for status reads, the link has lapsed). */
export const payerLinkExpired = () => new DomainError('payer-link-expired', 'This payment link has expired', 410);

/** The audit actor and engine actor of the holder of an order's link. */
export const payerActor = (order: Pick<OrderDoc, 'tenantId' | 'id'>): Actor => ({ role: 'payer', id: `payer:${order.id}`, tenantId: order.tenantId });

/** Until when the link answers at all. */
export function payerLinkExpiresAt(order: OrderDoc, timeoutMinutes: number): string {
  if (PAYABLE.includes(order.status)) return order.expiresAt;
  const afterChange = new Date(Date.parse(order.updatedAt) + timeoutMinutes * 60_000).toISOString();
  return afterChange > order.expiresAt ? afterChange : order.expiresAt;
}

/** The pay-in the token names; `purpose: 'act'` also requires it to be payable now. */
export async function openPayerOrder(deps: Pick<OrderDeps, 'store' | 'clock' | 'settings'>, token: string, purpose: 'read' | 'act'): Promise<OrderDoc> {
  const ref = parsePayerToken(token);
  if (!ref) throw payerLinkNotFound();
  const order = await readItem<OrderDoc>(deps.store.orders, ref.orderId, ref.tenantId);
  if (!order || order.type !== 'order' || order.tenantId !== ref.tenantId || order.direction !== 'payin' || !matchesPayerToken(token, order.payerTokenHash)) {
    throw payerLinkNotFound();
  }
  const now = deps.clock.now().toISOString();
  const lapsed = purpose === 'act' ? !PAYABLE.includes(order.status) || now >= order.expiresAt : now >= payerLinkExpiresAt(order, deps.settings.ORDER_TIMEOUT_MINUTES);
  if (lapsed) throw payerLinkExpired();
  return order;
}

/** What the payer sends money to, in full: one number of the method's kind. */
export interface PayTo {
  method: string;
  bank: { id: string; name?: string };
  holderName: string;
  cardNumber?: string;
  phone?: string;
  accountNumber?: string;
}

export interface PayerView {
  status: OrderDoc['status'];
  /** The exact amount to send, a decimal string in `currency`. */
  amount: string;
  currency: string;
  method: string;
  /** Pay before this time (ISO 8601); later the order expires. */
  deadline: string;
  /** The link answers until this time. */
  linkExpiresAt: string;
  /** Only from `init`, once the order is assigned. */
  payTo?: PayTo;
}

export function payerView(order: OrderDoc, timeoutMinutes: number, payTo?: PayTo): PayerView {
  return {
    status: order.status,
    amount: formatAmount({ currency: order.currency, minor: order.amountMinor }),
    currency: order.currency,
    method: order.method,
    deadline: order.expiresAt,
    linkExpiresAt: payerLinkExpiresAt(order, timeoutMinutes),
    ...(payTo ? { payTo } : {}),
  };
}

/** The number normalised for typing into a bank app: digits, a leading + for phones. */
function numberField(method: string, raw: string): Pick<PayTo, 'cardNumber' | 'phone' | 'accountNumber'> {
  if (method === 'sbp') {
    const digits = raw.replace(/\D/g, '');
    return { phone: `+${digits}` };
  }
  const digits = raw.replace(/[\s-]/g, '');
  return method === 'card' ? { cardNumber: digits } : { accountNumber: digits };
}

/** The full requisite of an assigned order (opened from the sealed copy on the order); undefined when none is stored. */
export async function openPayTo(deps: Pick<OrderDeps, 'keys' | 'reference'>, order: OrderDoc): Promise<PayTo | undefined> {
  const a = order.assignment;
  if (!a) return undefined;
  const number = openRequisiteNumber(deps.keys, a.requisiteId, a);
  if (number === undefined) return undefined;
  const bank = await deps.reference.bank(a.bankId);
  return {
    method: a.method,
    bank: { id: a.bankId.replace(/^bank:/, ''), ...(bank?.name ? { name: bank.name } : {}) },
    holderName: a.holderName,
    ...numberField(a.method, number),
  };
}

/**
 * `POST /pay/{token}/init`: assigns a `new` order through the engine's own path (the
 * orchestration's next attempt then finds it assigned and goes on), and shows the full requisite
 * once assigned. A `retrying` order is left to the engine's backoff, so a payer cannot spend its
 * retries. Every showing of the full requisite is audited as `order.details-read`.
 */
export async function initPayment(deps: OrderDeps, token: string, ip?: string): Promise<PayerView> {
  let order = await openPayerOrder(deps, token, 'act');
  if (order.status === 'new') order = (await assignOrder(deps, order.tenantId, order.id)).order;
  const payTo = order.status === 'assigned' ? await openPayTo(deps, order) : undefined;
  if (payTo) {
    const actor = payerActor(order);
    await deps.audit?.({ ...orderDetailsReadEvent(order.tenantId, order.id, actor, 'payer-requisite'), ...(ip ? { ip } : {}) });
  }
  return payerView(order, deps.settings.ORDER_TIMEOUT_MINUTES, payTo);
}
