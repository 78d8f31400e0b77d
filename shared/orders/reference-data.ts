/**
 * Reference data (exchange rates, banks, payment methods, traders, stores) read
 * through a short in-memory cache: it changes rarely and is read on every
 * assignment. REFERENCE_CACHE_SECONDS bounds how stale a value may be.
 */
import { DomainError, notFound } from '../errors';
import type { ExchangeRate } from '../money';
import type { Clock } from '../platform/clock';
import { PLATFORM_TENANT, type BankDoc, type ExchangeRateDoc, type MerchantDoc, type PaymentMethodDoc, type StoreDoc, type TraderDoc } from './documents';
import { RequisiteCache } from './requisite-cache';
import { readItem, type OrdersStore } from './store';

export const exchangeRateId = (base: string, quote: string) => `rate:${base}:${quote}`;
export const bankId = (code: string) => `bank:${code}`;
export const paymentMethodId = (code: string) => `method:${code}`;

export interface ReferenceData {
  exchangeRate(base: string, quote: string): Promise<ExchangeRate>;
  bank(id: string): Promise<BankDoc | undefined>;
  paymentMethod(code: string): Promise<PaymentMethodDoc | undefined>;
  /** Every trader, by id (small: platform traders number in the hundreds). */
  traders(): Promise<ReadonlyMap<string, TraderDoc>>;
  store(tenantId: string, storeId: string): Promise<StoreDoc | undefined>;
  /** The merchant document of a tenant (its active flag and default store). */
  merchant(tenantId: string): Promise<MerchantDoc | undefined>;
  /** Requisites and the latest version of each this process knows (selection and reservation, see requisite-cache.ts). */
  requisites: RequisiteCache;
  /** Drops everything cached (tests, admin edits). */
  clear(): void;
}

export function createReferenceData(store: OrdersStore, clock: Clock, ttlSeconds: number): ReferenceData {
  const cache = new Map<string, { until: number; value: Promise<unknown> }>();
  function cached<T>(key: string, load: () => Promise<T>): Promise<T> {
    const now = clock.now().getTime();
    const hit = cache.get(key);
    if (hit && hit.until > now) return hit.value as Promise<T>;
    const value = load();
    cache.set(key, { until: now + ttlSeconds * 1000, value });
    value.catch(() => cache.delete(key)); // never cache a failure
    return value;
  }
  const requisites = new RequisiteCache(store, clock, ttlSeconds);
  const platformDoc = <T extends object>(id: string) => readItem<T & { id: string }>(store.referenceData, id, PLATFORM_TENANT);
  return {
    exchangeRate: (base, quote) =>
      cached(`rate:${base}:${quote}`, async () => {
        if (base === quote) return { base, quote, rate: '1' };
        const doc = await platformDoc<ExchangeRateDoc>(exchangeRateId(base, quote));
        if (!doc) throw new DomainError('exchange-rate-missing', `No ${base}/${quote} exchange rate configured`, 503, {}, false);
        return { base: doc.base, quote: doc.quote, rate: doc.rate };
      }),
    bank: (id) => cached(`bank:${id}`, () => platformDoc<BankDoc>(id)),
    paymentMethod: (code) => cached(`method:${code}`, () => platformDoc<PaymentMethodDoc>(paymentMethodId(code))),
    traders: () =>
      cached('traders', async () => {
        const { resources } = await store.traders.items
          .query<TraderDoc>(
            { query: "SELECT * FROM c WHERE c.tenantId = @tenantId AND c.type = 'trader'", parameters: [{ name: '@tenantId', value: PLATFORM_TENANT }] },
            { partitionKey: PLATFORM_TENANT },
          )
          .fetchAll();
        return new Map(resources.map((t) => [t.id, t]));
      }),
    store: (tenantId, storeId) => cached(`store:${tenantId}:${storeId}`, () => readItem<StoreDoc>(store.merchants, storeId, tenantId)),
    merchant: (tenantId) => cached(`merchant:${tenantId}`, () => readItem<MerchantDoc>(store.merchants, tenantId, tenantId)),
    requisites,
    clear: () => {
      cache.clear();
      requisites.clear();
    },
  };
}

/** The store, or 404/422-style errors a caller can show. */
export async function requireActiveStore(reference: ReferenceData, tenantId: string, storeId: string): Promise<StoreDoc> {
  const doc = await reference.store(tenantId, storeId);
  if (!doc || doc.type !== 'store') throw notFound('Store');
  if (!doc.active) throw new DomainError('store-inactive', 'This store is not active', 409);
  return doc;
}
