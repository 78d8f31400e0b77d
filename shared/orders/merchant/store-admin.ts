/**
 * Stores of a merchant tenant, kept by platform admins. A store is a `store` document in the
 * `merchants` container (partition = the tenant) with its name, commission and callback URL; its
 * balances are ledger accounts named after it. The tenant's `merchant` document (which names the
 * default store) is created with the first store, so a tenant onboarded through the tenant admin
 * API can take orders once it has a store.
 */
import { z } from 'zod';
import { DomainError, notFound } from '../../errors';
import type { OrderDeps } from '../deps';
import type { MerchantDoc, StoreDoc } from '../documents';
import { isConflict } from '../cosmos-errors';
import { readItem } from '../store';

const bps = z.number().int().min(0).max(10_000);

export const storeIdParams = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'a tenant id'),
  storeId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'letters, digits, _ and -, at most 64'),
});

/** Body of `PUT /admin/tenants/{id}/stores/{storeId}`; `commission` is required when the store is new. */
export const putStoreBodySchema = z.strictObject({
  name: z.string().trim().min(1).max(100),
  active: z.boolean().optional(),
  /** Webhook target of this store's orders when an order names none (https; http to loopback locally). */
  callbackUrl: z.url({ protocol: /^https?$/ }).max(2048).nullable().optional(),
  /** What the platform charges the store, basis points of the order amount. */
  commission: z.strictObject({ payinBps: bps, payoutBps: bps }).optional(),
  /** Make this the tenant's default store (orders of a tenant-wide key go there). */
  default: z.boolean().optional(),
});
export type PutStoreBody = z.infer<typeof putStoreBodySchema>;

export interface StoreView {
  id: string;
  tenantId: string;
  name: string;
  active: boolean;
  commission: StoreDoc['commission'];
  callbackUrl?: string;
  default: boolean;
}

const viewOf = (s: StoreDoc, defaultStoreId: string | undefined): StoreView => ({
  id: s.id,
  tenantId: s.tenantId,
  name: s.name,
  active: s.active,
  commission: s.commission,
  ...(s.callbackUrl ? { callbackUrl: s.callbackUrl } : {}),
  default: s.id === defaultStoreId,
});

/** Creates or replaces a store (idempotent: the same PUT twice leaves the same documents). */
export async function putStore(deps: Pick<OrderDeps, 'store' | 'reference'>, tenantId: string, storeId: string, body: PutStoreBody): Promise<{ store: StoreView; created: boolean }> {
  const existing = await readItem<StoreDoc>(deps.store.merchants, storeId, tenantId);
  if (existing && existing.type !== 'store') throw new DomainError('store-id-taken', `${storeId} is not a store id`, 409);
  const commission = body.commission ?? existing?.commission;
  if (!commission) throw new DomainError('validation-failed', 'A new store needs its commission', 400, { errors: [{ path: 'commission', message: 'Required' }] });
  const callbackUrl = body.callbackUrl === null ? undefined : (body.callbackUrl ?? existing?.callbackUrl);
  const doc: StoreDoc = { id: storeId, type: 'store', tenantId, name: body.name, active: body.active ?? existing?.active ?? true, commission, ...(callbackUrl ? { callbackUrl } : {}) };
  await deps.store.merchants.items.upsert(doc);
  const merchant = await ensureMerchant(deps, tenantId, storeId, body.name);
  if (body.default && merchant.defaultStoreId !== storeId) await deps.store.merchants.items.upsert({ ...merchant, defaultStoreId: storeId });
  deps.reference.clear();
  return { store: viewOf(doc, body.default ? storeId : merchant.defaultStoreId), created: !existing };
}

/** The tenant's merchant document, created (with this store as default) when missing. */
async function ensureMerchant(deps: Pick<OrderDeps, 'store'>, tenantId: string, storeId: string, name: string): Promise<MerchantDoc> {
  const found = await readItem<MerchantDoc>(deps.store.merchants, tenantId, tenantId);
  if (found) return found;
  const merchant: MerchantDoc = { id: tenantId, type: 'merchant', tenantId, name, active: true, defaultStoreId: storeId };
  try {
    await deps.store.merchants.items.create(merchant);
    return merchant;
  } catch (error) {
    if (!isConflict(error)) throw error;
    const raced = await readItem<MerchantDoc>(deps.store.merchants, tenantId, tenantId);
    if (!raced) throw error;
    return raced;
  }
}

export async function listStores(deps: Pick<OrderDeps, 'store'>, tenantId: string): Promise<StoreView[]> {
  const merchant = await readItem<MerchantDoc>(deps.store.merchants, tenantId, tenantId);
  if (!merchant) throw notFound('Merchant');
  const { resources } = await deps.store.merchants.items
    .query<StoreDoc>(
      { query: "SELECT * FROM c WHERE c.tenantId = @tenantId AND c.type = 'store' ORDER BY c.id", parameters: [{ name: '@tenantId', value: tenantId }] },
      { partitionKey: tenantId },
    )
    .fetchAll();
  return resources.map((s) => viewOf(s, merchant.defaultStoreId));
}
