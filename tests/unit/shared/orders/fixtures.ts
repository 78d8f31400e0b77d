/** Small builders for pure order-engine tests. */
import { PLATFORM_TENANT, type OrderDoc, type RequisiteDoc, type TraderDoc } from '../../../../shared/orders/documents';

export function requisiteFixture(over: Partial<RequisiteDoc> = {}): RequisiteDoc {
  return {
    id: 'req-1', type: 'requisite', tenantId: PLATFORM_TENANT, traderId: 'trader-1', method: 'card', bankId: 'bank:sber',
    currency: 'RUB', directions: ['payin', 'payout'], displayNumber: '2202 ****', holderName: 'I. P.',
    minOrderMinor: 10_000, maxOrderMinor: 1_000_000, dailyLimitMinor: 5_000_000, monthlyLimitMinor: 50_000_000,
    status: 'active', lastUsedAt: null, usage: { day: '2026-11-23', dayMinor: 0, month: '2026-11', monthMinor: 0 },
    ...over,
  };
}

export function traderFixture(over: Partial<TraderDoc> = {}): TraderDoc {
  return {
    id: 'trader-1', type: 'trader', tenantId: PLATFORM_TENANT, name: 'T', trafficPriority: 1, active: true,
    commission: { payinBps: 150, payoutBps: 100 }, ...over,
  };
}

export function orderFixture(over: Partial<OrderDoc> = {}): OrderDoc {
  return {
    id: 'order-1', type: 'order', tenantId: 'demo-a', storeId: 'demo-a-main', direction: 'payin', amountMinor: 100_000,
    currency: 'RUB', method: 'card', customerRef: 'c1', status: 'assigned', createdAt: '2026-11-23T10:00:00.000Z',
    updatedAt: '2026-11-23T10:00:00.000Z', expiresAt: '2026-11-23T10:30:00.000Z', retryCount: 0, storeCommissionBps: 300,
    ledger: {}, history: [], ...over,
  };
}
