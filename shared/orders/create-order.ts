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
import type { OrderDoc } from './documents';
import type { JSONObject, OperationInput } from '@azure/cosmos';
import { fraudCheckEvent } from '../audit/fraud-check-event';
import { concurrencyExhausted } from './cosmos-errors';
import { runBatch } from './cosmos-batch';
import { checkFraud, type FraudDecision, type VelocityCounts } from './fraud';
import { mutateItem } from './optimistic';
import { countersOpened, countsFromBatch, learnFromFailure, velocityOperations } from './velocity';
import { postAndMark } from './finalize';
import { getOrder, historyEntry, transitionOrder } from './order-transition';
import { requireActiveStore } from './reference-data';
import { createOrderBodySchema, SYSTEM_ACTOR, type Actor, type OrderDirection } from './schemas';
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
  const merchant = await deps.reference.merchant(input.tenantId);
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
  const created = await writeCounted(deps, order);
  return created.direction === 'payout' ? ensurePayoutHold(deps, created) : created;
}

/**
 * Writes the order and counts it into its velocity window in one transactional
 * batch (velocity.ts), deciding the fraud check on the way:
 * - the static rules allow it: the order is written ALLOWed, the counters' increments
 *   conditioned on the velocity limits, so the decision holds exactly when the batch commits;
 * - otherwise (a static rule, or a limit refused the batch): written undecided and counted
 *   unconditionally, then decided on the counts the batch answered.
 * A repeated create (same id) fails on the order itself and counts nothing.
 */
async function writeCounted(deps: OrderDeps, order: OrderDoc): Promise<OrderDoc> {
  const s = deps.settings;
  const windowMinutes = s.FRAUD_VELOCITY_WINDOW_MINUTES;
  const at = deps.clock.now().toISOString();
  const allowed = checkFraud(order, { customerOrders: 1, merchantOrders: 1 }, s);
  let conditioned = allowed.decision === 'ALLOW';
  for (let attempt = 0; attempt < MAX_COUNT_ATTEMPTS; attempt += 1) {
    const body: OrderDoc = conditioned
      ? {
          ...order,
          fraud: { decision: 'ALLOW', reasons: allowed.reasons, at },
          history: [...order.history, historyEntry(deps, SYSTEM_ACTOR, 'fraud-check', { details: { ...allowed, ...(s.FRAUD_ENABLED ? { velocity: 'within-limits' } : {}) } })],
        }
      : order;
    const operations: OperationInput[] = [
      { operationType: 'Create', resourceBody: body as unknown as JSONObject },
      ...velocityOperations(order, windowMinutes, conditioned && s.FRAUD_ENABLED ? { merchant: s.FRAUD_MAX_ORDERS_PER_MERCHANT, customer: s.FRAUD_MAX_ORDERS_PER_CUSTOMER } : undefined),
    ];
    const result = await runBatch(deps.store.orders, order.tenantId, operations);
    if (result.ok) {
      const written = result.docs[0] as unknown as OrderDoc;
      countersOpened(order, windowMinutes);
      if (conditioned) {
        await auditFraud(deps, written, 'ALLOW');
        return written;
      }
      return decideOnCounts(deps, written, countsFromBatch(result.docs.slice(1) as { count?: unknown }[]));
    }
    if (result.failedAt === 0) {
      if (result.status !== 409) throw new Error(`order create failed with ${result.status}`);
      return existingOrder(deps, order);
    }
    const next = learnFromFailure(operations[result.failedAt], result.status);
    if (next === 'limit') conditioned = false;
    else if (next === 'unknown') throw new Error(`velocity count failed with ${result.status}`);
  }
  throw concurrencyExhausted(`velocity counters of ${order.tenantId}`);
}

/** Counter documents opened or found by others between tries (409/404) make a batch run again; a few tries settle it. */
const MAX_COUNT_ATTEMPTS = 6;

/** Decides the fraud check on the order's counted place in its window; stored (unless decided meanwhile) and audited once. */
export async function decideOnCounts(deps: OrderDeps, order: OrderDoc, counts: VelocityCounts): Promise<OrderDoc> {
  const result = checkFraud(order, counts, deps.settings);
  const at = deps.clock.now().toISOString();
  deps.logger.info('order fraud check', { orderId: order.id, decision: result.decision, reasons: result.reasons });
  const { doc, changed } = await mutateItem<OrderDoc>(
    deps.store.orders,
    order.id,
    order.tenantId,
    (current) =>
      current.fraud
        ? null
        : {
            ...current,
            fraud: { decision: result.decision, reasons: result.reasons, at },
            history: [...current.history, historyEntry(deps, SYSTEM_ACTOR, 'fraud-check', { details: { ...result, ...counts } })],
          },
    deps.settings.CONCURRENCY_MAX_ATTEMPTS,
    order,
  );
  if (changed) await auditFraud(deps, doc, result.decision);
  return doc;
}

const auditFraud = (deps: OrderDeps, order: OrderDoc, decision: FraudDecision) =>
  deps.audit?.(fraudCheckEvent(order.tenantId, order.id, decision, order.id)) ?? Promise.resolve();

/** The order an earlier create with the same id wrote; a different body is a conflict. */
async function existingOrder(deps: OrderDeps, order: OrderDoc): Promise<OrderDoc> {
  const created = await getOrder(deps, order.tenantId, order.id);
  const same = (['direction', 'amountMinor', 'currency', 'method', 'customerRef'] as const).every((k) => created[k] === order[k]);
  if (!same) throw conflict('order-id-conflict', 'An order with this id exists with different details', { orderId: order.id });
  return created;
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
