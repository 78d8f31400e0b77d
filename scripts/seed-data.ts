/**
 * Demo data for the order engine: merchants demo-a and demo-b with one store
 * each, a team lead, three traders, requisites for card/sbp/bank_transfer,
 * payment methods, banks, exchange rates, an admin principal and opening
 * balances. With it, demo-a can create a 1000.00 RUB card pay-in and have it
 * assigned. `seedOrders(db)` is idempotent: run it again and nothing changes.
 * The lead's CLI (`npm run seed`) calls it.
 */
import type { Database } from '@azure/cosmos';
import { systemClock, type Clock } from '../shared/platform/clock';
import {
  PLATFORM_TENANT,
  type BankDoc,
  type ExchangeRateDoc,
  type MerchantDoc,
  type PaymentMethodDoc,
  type RequisiteDoc,
  type StoreDoc,
  type TeamLeadDoc,
  type TraderDoc,
} from '../shared/orders/documents';
import { processKeyRing, type KeyRing } from '../shared/crypto/key-ring';
import { recordDeposit } from '../shared/orders/ledger';
import { sealRequisiteNumber } from '../shared/orders/payment-details/requisite-number';
import { storeAccount, traderCryptoAccount } from '../shared/orders/ledger-postings';
import { bankId, exchangeRateId, paymentMethodId } from '../shared/orders/reference-data';
import type { Actor } from '../shared/orders/schemas';
import { ensureOrderContainers, type OrdersStore } from '../shared/orders/store';
import { isConflict } from '../shared/orders/cosmos-errors';

const SEEDED_AT = '2026-01-01T00:00:00.000Z';

export const DEMO_ADMIN: Actor = { role: 'admin', id: 'admin-demo', tenantId: 'platform' };

export const DEMO_MERCHANTS: MerchantDoc[] = [
  { id: 'demo-a', type: 'merchant', tenantId: 'demo-a', name: 'Demo Merchant A', active: true, defaultStoreId: 'demo-a-main' },
  { id: 'demo-b', type: 'merchant', tenantId: 'demo-b', name: 'Demo Merchant B', active: true, defaultStoreId: 'demo-b-main' },
];

export const DEMO_STORES: StoreDoc[] = [
  { id: 'demo-a-main', type: 'store', tenantId: 'demo-a', name: 'Demo A shop', active: true, commission: { payinBps: 300, payoutBps: 250 } },
  { id: 'demo-b-main', type: 'store', tenantId: 'demo-b', name: 'Demo B shop', active: true, commission: { payinBps: 350, payoutBps: 300 } },
];

export const DEMO_TEAM_LEADS: TeamLeadDoc[] = [{ id: 'teamlead-1', type: 'teamlead', tenantId: PLATFORM_TENANT, name: 'Team One' }];

export const DEMO_TRADERS: TraderDoc[] = [
  { id: 'trader-1', type: 'trader', tenantId: PLATFORM_TENANT, name: 'Trader One', teamLeadId: 'teamlead-1', trafficPriority: 1, active: true, commission: { payinBps: 150, payoutBps: 100 } },
  { id: 'trader-2', type: 'trader', tenantId: PLATFORM_TENANT, name: 'Trader Two', teamLeadId: 'teamlead-1', trafficPriority: 1, active: true, commission: { payinBps: 175, payoutBps: 125 } },
  { id: 'trader-3', type: 'trader', tenantId: PLATFORM_TENANT, name: 'Trader Three', trafficPriority: 2, active: true, commission: { payinBps: 200, payoutBps: 150 } },
];

const requisite = (r: Omit<RequisiteDoc, 'type' | 'tenantId' | 'lastUsedAt' | 'usage' | 'status' | 'directions'> & Partial<Pick<RequisiteDoc, 'status' | 'directions'>>): RequisiteDoc => ({
  type: 'requisite',
  tenantId: PLATFORM_TENANT,
  status: 'active',
  directions: ['payin', 'payout'],
  lastUsedAt: null,
  usage: { day: SEEDED_AT.slice(0, 10), dayMinor: 0, month: SEEDED_AT.slice(0, 7), monthMinor: 0 },
  ...r,
});

/** Limits in kopecks/cents: 100.00 .. 100 000.00 RUB per order, 1 000 000.00 a day, 10 000 000.00 a month. */
/** Demo full numbers behind the masked ones (test card numbers pass Luhn); sealed when seeded. */
export const DEMO_ACCOUNT_NUMBERS: Readonly<Record<string, string>> = {
  'req-card-sber-1': '2202 2061 4532 4411',
  'req-card-tinkoff-2': '5536 9138 2245 0192',
  'req-sbp-alfa-2': '+7 916 555-12-34',
  'req-bank-vtb-3': '40817 810 0 0000 1237788',
  'req-card-usd-1': '4147 2023 1189 3321',
};

export const DEMO_REQUISITES: RequisiteDoc[] = [
  requisite({ id: 'req-card-sber-1', traderId: 'trader-1', method: 'card', bankId: bankId('sber'), currency: 'RUB', displayNumber: '2202 **** **** 4411', holderName: 'IVAN P.', minOrderMinor: 10_000, maxOrderMinor: 10_000_000, dailyLimitMinor: 100_000_000, monthlyLimitMinor: 1_000_000_000 }),
  requisite({ id: 'req-card-tinkoff-2', traderId: 'trader-2', method: 'card', bankId: bankId('tinkoff'), currency: 'RUB', displayNumber: '5536 **** **** 0192', holderName: 'OLGA S.', minOrderMinor: 10_000, maxOrderMinor: 5_000_000, dailyLimitMinor: 50_000_000, monthlyLimitMinor: 500_000_000 }),
  requisite({ id: 'req-sbp-alfa-2', traderId: 'trader-2', method: 'sbp', bankId: bankId('alfa'), currency: 'RUB', displayNumber: '+7 *** ***-12-34', holderName: 'OLGA S.', minOrderMinor: 10_000, maxOrderMinor: 5_000_000, dailyLimitMinor: 50_000_000, monthlyLimitMinor: 500_000_000 }),
  requisite({ id: 'req-bank-vtb-3', traderId: 'trader-3', method: 'bank_transfer', bankId: bankId('vtb'), currency: 'RUB', displayNumber: '4081 **** **** 7788', holderName: 'PETR K.', minOrderMinor: 100_000, maxOrderMinor: 50_000_000, dailyLimitMinor: 200_000_000, monthlyLimitMinor: 2_000_000_000 }),
  requisite({ id: 'req-card-usd-1', traderId: 'trader-1', method: 'card', bankId: bankId('chase'), currency: 'USD', displayNumber: '4147 **** **** 3321', holderName: 'IVAN P.', minOrderMinor: 1_000, maxOrderMinor: 500_000, dailyLimitMinor: 5_000_000, monthlyLimitMinor: 50_000_000 }),
];

export const DEMO_PAYMENT_METHODS: PaymentMethodDoc[] = [
  { id: paymentMethodId('card'), type: 'payment-method', tenantId: PLATFORM_TENANT, code: 'card', name: 'Bank card', active: true },
  { id: paymentMethodId('sbp'), type: 'payment-method', tenantId: PLATFORM_TENANT, code: 'sbp', name: 'Faster Payments System (SBP)', active: true },
  { id: paymentMethodId('bank_transfer'), type: 'payment-method', tenantId: PLATFORM_TENANT, code: 'bank_transfer', name: 'Bank transfer', active: true },
];

export const DEMO_BANKS: BankDoc[] = [
  { id: bankId('sber'), type: 'bank', tenantId: PLATFORM_TENANT, name: 'Sberbank', country: 'RU', active: true },
  { id: bankId('tinkoff'), type: 'bank', tenantId: PLATFORM_TENANT, name: 'T-Bank', country: 'RU', active: true },
  { id: bankId('alfa'), type: 'bank', tenantId: PLATFORM_TENANT, name: 'Alfa-Bank', country: 'RU', active: true },
  { id: bankId('vtb'), type: 'bank', tenantId: PLATFORM_TENANT, name: 'VTB', country: 'RU', active: true },
  { id: bankId('chase'), type: 'bank', tenantId: PLATFORM_TENANT, name: 'Chase', country: 'US', active: true },
];

export const DEMO_RATES: ExchangeRateDoc[] = [
  { id: exchangeRateId('USDT', 'RUB'), type: 'exchange-rate', tenantId: PLATFORM_TENANT, base: 'USDT', quote: 'RUB', rate: '92.50', updatedAt: SEEDED_AT },
  { id: exchangeRateId('USDT', 'USD'), type: 'exchange-rate', tenantId: PLATFORM_TENANT, base: 'USDT', quote: 'USD', rate: '1.0000', updatedAt: SEEDED_AT },
];

/** Opening balances (deposit id, account, minor units): stores can pay out, traders have a USDT deposit. */
export const DEMO_DEPOSITS = [
  { id: 'seed-demo-a-rub', account: storeAccount('demo-a', 'demo-a-main', 'RUB'), amountMinor: 50_000_000 },
  { id: 'seed-demo-b-rub', account: storeAccount('demo-b', 'demo-b-main', 'RUB'), amountMinor: 10_000_000 },
  ...DEMO_TRADERS.map((t) => ({ id: `seed-${t.id}-usdt`, account: traderCryptoAccount(t.id, 'USDT'), amountMinor: 5_000_000_000 })),
];

async function createIfAbsent(container: OrdersStore['merchants'], doc: object): Promise<boolean> {
  try {
    await container.items.create(doc);
    return true;
  } catch (error) {
    if (isConflict(error)) return false;
    throw error;
  }
}

/** Creates the order containers and loads the demo data; returns how many documents it created. */
export async function seedOrders(db: Database, clock: Clock = systemClock, keys: KeyRing = processKeyRing()): Promise<{ created: number }> {
  const store = await ensureOrderContainers(db);
  // The full numbers are sealed as the API would store them (never plaintext at rest).
  const requisites = DEMO_REQUISITES.map((r) => {
    const full = DEMO_ACCOUNT_NUMBERS[r.id];
    return full ? { ...r, sealedNumber: sealRequisiteNumber(keys, r.id, full) } : r;
  });
  const batches: [OrdersStore['merchants'], object[]][] = [
    [store.merchants, [...DEMO_MERCHANTS, ...DEMO_STORES]],
    [store.traders, [...DEMO_TEAM_LEADS, ...DEMO_TRADERS]],
    [store.requisites, requisites],
    [store.referenceData, [...DEMO_PAYMENT_METHODS, ...DEMO_BANKS, ...DEMO_RATES]],
  ];
  let created = 0;
  for (const [container, docs] of batches) {
    for (const doc of docs) if (await createIfAbsent(container, doc)) created += 1;
  }
  for (const d of DEMO_DEPOSITS) await recordDeposit(store, d.id, d.account, d.amountMinor, clock, 20);
  return { created };
}
