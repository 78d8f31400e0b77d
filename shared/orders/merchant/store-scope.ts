/**
 * Which store a merchant's API key reaches. A key minted with a `storeId` is that store's: it
 * creates orders for it and sees only its orders and balances. A key without one is the
 * tenant's: it creates orders for the merchant's default store and sees every store (a
 * `storeId` query narrows it). Another store's order looks exactly like an unknown one (404).
 */
import type { Principal } from '../../auth/principal';
import { forbidden, notFound } from '../../errors';
import type { OrderDoc } from '../documents';

/** The store a key is bound to, if any. */
export const keyStore = (principal: Principal): string | undefined => (principal.kind === 'apiKey' ? principal.storeId : undefined);

/** The store a list or balance call covers: the key's own, else the one asked for, else all (undefined). */
export function storeScope(principal: Principal, requested: string | undefined): string | undefined {
  const own = keyStore(principal);
  if (own !== undefined && requested !== undefined && requested !== own) throw forbidden("This API key belongs to another store");
  return own ?? requested;
}

/** 404 unless the order is within the key's store (a tenant-wide key reaches all its stores). */
export function requireOrderInStore(principal: Principal, order: Pick<OrderDoc, 'storeId'>): void {
  const own = keyStore(principal);
  if (own !== undefined && order.storeId !== own) throw notFound('Order');
}
