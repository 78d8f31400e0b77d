/**
 * Accepting a merchant's pay-in or pay-out. The order is written as `new`; the
 * lead's HTTP function then enqueues it for assignment. A pay-out also holds
 * amount + fee from the store balance right away, so a pay-out the store cannot
 * afford fails now with `insufficient-balance` instead of after a trader paid.
 */
import { randomUUID } from 'node:crypto';
import { badRequest, conflict, DomainError, notFound } from '../errors';
import { applyBasisPoints, parseAmount } from '../money';
import type { OrderDeps } from './deps';
import type { MerchantDoc, OrderDoc } from './documents';
import { isConflict } from './cosmos-errors';
import { postAndMark } from './finalize';
import { getOrder, historyEntry, transitionOrder } from './order-transition';
import { requireActiveStore } from './reference-data';
import { createOrderBodySchema, SYSTEM_ACTOR, type Actor, type OrderDirection } from './schemas';
import { readItem } from './store';
import { sealPayee, validatePayee, type PayeeBody, type PayeeDetails } from './payment-details/payee';

export interface CreateOrderInput {
  tenantId: string;
  direction: OrderDirection;
  /** The raw request body; validated here. */
  body: unknown;
  /** Defaults to the merchant's default store. */
  storeId?: string;
  /** Deterministic id (e.g. derived from an Idempotency-Key): creating it again returns the same order. */
  orderId?: string;
  actor: Actor;
  /** Pay-in: hash of the payer's link token, derived from the order id (payer/payer-token.ts). */
  payerTokenHash?: string;
}

function parseBody(body: unknown) {
  const parsed = createOrderBodySchema.safeParse(body);
  if (!parsed.success) {
    throw badRequest('Invalid order', {
      errors: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    });
  }
  return parsed.data;
}

export async function createOrder(deps: OrderDeps, input: CreateOrderInput): Promise<OrderDoc> {
  const body = parseBody(input.body);
  if (!deps.settings.PAYMENT_METHODS.includes(body.method)) {
    throw badRequest(`Unknown payment method ${body.method}`, { field: 'method', allowed: deps.settings.PAYMENT_METHODS });
  }
  const method = await deps.reference.paymentMethod(body.method);
  if (method && !method.active) throw new DomainError('method-unavailable', `${body.method} is not available now`, 409);
  const amount = parseAmount(body.amount, body.currency);
  if (amount.minor <= 0) throw badRequest('Amount must be positive', { field: 'amount' });
  const payee = payeeOf(input.direction, body.method, amount.currency, body.payee);
  const merchant = await readItem<MerchantDoc>(deps.store.merchants, input.tenantId, input.tenantId);
  if (!merchant || merchant.type !== 'merchant') throw notFound('Merchant');
  if (!merchant.active) throw new DomainError('merchant-inactive', 'This merchant is not active', 403);
  const store = await requireActiveStore(deps.reference, input.tenantId, input.storeId ?? merchant.defaultStoreId);
  const now = deps.clock.now();
  const storeCommissionBps = input.direction === 'payin' ? store.commission.payinBps : store.commission.payoutBps;
  const id = input.orderId ?? randomUUID();
  // Webhooks go to the request's callback URL, else the store's, else the tenant's endpoint.
  const callbackUrl = body.callbackUrl ?? store.callbackUrl;
  const order: OrderDoc = {
    id,
    type: 'order',
    tenantId: input.tenantId,
    storeId: store.id,
    direction: input.direction,
    amountMinor: amount.minor,
    currency: amount.currency,
    method: body.method,
    customerRef: body.customerRef,
    ...(callbackUrl ? { callbackUrl } : {}),
    ...(input.direction === 'payin' && input.payerTokenHash ? { payerTokenHash: input.payerTokenHash } : {}),
    ...(payee ? { payee: sealPayee(deps.keys, input.tenantId, id, payee) } : {}),
    status: 'new',
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + deps.settings.ORDER_TIMEOUT_MINUTES * 60_000).toISOString(),
    retryCount: 0,
    storeCommissionBps,
    ...(input.direction === 'payout'
      ? { holdMinor: amount.minor + applyBasisPoints(amount.minor, storeCommissionBps, 'ceil') }
      : {}),
    ledger: {},
    history: [historyEntry(deps, input.actor, 'created', { to: 'new' })],
  };
  let created = order;
  try {
    await deps.store.orders.items.create(order);
  } catch (error) {
    if (!isConflict(error)) throw error;
    created = await getOrder(deps, input.tenantId, order.id);
    const same = (['direction', 'amountMinor', 'currency', 'method', 'customerRef'] as const).every((k) => created[k] === order[k]);
    if (!same) throw conflict('order-id-conflict', 'An order with this id exists with different details', { orderId: order.id });
  }
  return created.direction === 'payout' ? ensurePayoutHold(deps, created) : created;
}

/** A pay-out's validated payee (required); a pay-in must not carry one. */
function payeeOf(direction: OrderDirection, method: string, currency: string, body: PayeeBody | undefined): PayeeDetails | undefined {
  if (direction === 'payin') {
    if (body) throw new DomainError('validation-failed', 'A pay-in has no payee', 400, { errors: [{ path: 'payee', message: 'only pay-outs name a payee' }] });
    return undefined;
  }
  if (!body) throw new DomainError('validation-failed', 'A pay-out needs its payee', 400, { errors: [{ path: 'payee', message: 'required for pay-outs' }] });
  return validatePayee(method, currency, body);
}

/**
 * Holds a pay-out's amount + fee (idempotent). If the store cannot afford it the
 * order fails and `insufficient-balance` (409) is thrown.
 */
export async function ensurePayoutHold(deps: OrderDeps, order: OrderDoc): Promise<OrderDoc> {
  if (order.ledger.hold || order.status === 'failed') return order;
  try {
    return await postAndMark(deps, order, 'hold');
  } catch (error) {
    if (error instanceof DomainError && error.code === 'insufficient-balance') {
      await transitionOrder(deps, order.tenantId, order.id, 'fail', SYSTEM_ACTOR, () => ({ failureReason: 'insufficient-balance' }));
    }
    throw error;
  }
}
