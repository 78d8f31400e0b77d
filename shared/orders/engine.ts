/**
 * The order engine with its ports bound: what HTTP functions, the orders queue
 * handler and orchestration activities call. Build one per process (the
 * reference-data cache lives in it); settings may be swapped per call by
 * building a new engine from the same store.
 */
import { processKeyRing, type KeyRing } from '../crypto/key-ring';
import type { Clock } from '../platform/clock';
import { silentLogger, type Logger } from '../platform/logger';
import { assignOrder } from './assign-order';
import { createOrder, type CreateOrderInput } from './create-order';
import type { OrderDeps } from './deps';
import type { AccountRef } from './documents';
import { expireDueOrders, expireOrder } from './expiry';
import { finalizeOrder } from './finalize';
import { getBalance, reconcile, recordDeposit } from './ledger';
import { applyOrderAction } from './order-actions';
import { getOrder } from './order-transition';
import { createReferenceData, type ReferenceData } from './reference-data';
import type { Actor } from './schemas';
import type { OrderSettings } from './settings';
import type { OrdersStore } from './store';

export interface OrderEngineOptions {
  store: OrdersStore;
  clock: Clock;
  settings: OrderSettings;
  logger?: Logger;
  /** Share a cache between engines; by default each engine has its own. */
  reference?: ReferenceData;
  audit?: OrderDeps['audit'];
  /** Payment-data keys; the app's wiring passes the settings' ring (tests and benches may omit it). */
  keys?: KeyRing;
}

export function createOrderEngine(options: OrderEngineOptions) {
  const deps: OrderDeps = {
    store: options.store,
    clock: options.clock,
    settings: options.settings,
    logger: options.logger ?? silentLogger,
    keys: options.keys ?? processKeyRing(),
    reference: options.reference ?? createReferenceData(options.store, options.clock, options.settings.REFERENCE_CACHE_SECONDS),
    ...(options.audit ? { audit: options.audit } : {}),
  };
  return {
    deps,
    createOrder: (input: CreateOrderInput) => createOrder(deps, input),
    getOrder: (tenantId: string, orderId: string) => getOrder(deps, tenantId, orderId),
    assignOrder: (tenantId: string, orderId: string) => assignOrder(deps, tenantId, orderId),
    applyOrderAction: (actor: Actor, tenantId: string, orderId: string, body: unknown) => applyOrderAction(deps, actor, tenantId, orderId, body),
    finalizeOrder: (tenantId: string, orderId: string) => finalizeOrder(deps, tenantId, orderId),
    expireOrder: (tenantId: string, orderId: string) => expireOrder(deps, tenantId, orderId),
    expireDueOrders: (limit?: number) => expireDueOrders(deps, limit),
    recordDeposit: (depositId: string, account: AccountRef, amountMinor: number) =>
      recordDeposit(deps.store, depositId, account, amountMinor, deps.clock, deps.settings.CONCURRENCY_MAX_ATTEMPTS),
    getBalance: (accountId: string) => getBalance(deps.store, accountId),
    reconcile: () => reconcile(deps.store),
  };
}

export type OrderEngine = ReturnType<typeof createOrderEngine>;
