/**
 * Merchant money (API key): balances per store and currency, the history of one balance, and a
 * ledger statement export (CSV). A store's key sees its own store only; a tenant-wide key every
 * store of the tenant (`storeId` narrows it; history and statement default to the default store).
 */
import { app } from '@azure/functions';
import { apiRoute } from '../shared/http/api-route';
import { httpHandler, ok } from '../shared/http';
import { FUNCTIONS } from '../shared/names';
import { balanceQuerySchema, currencyParams, historyQuerySchema, statementQuerySchema } from '../shared/orders/merchant/merchant-requests';
import { storeScope } from '../shared/orders/merchant/store-scope';
import { balanceHistory, listStoreBalances, resolveStore, storeStatementCsv } from '../shared/orders/merchant/store-money';
import { authenticate, rateLimiter } from '../shared/wiring/auth';
import { orderEngine } from '../shared/wiring/orders';

const merchantOnly = { auth: authenticate, accept: ['apiKey' as const], rateLimit: { limiter: rateLimiter } };
/** Default statement period when `from` is not given. */
const STATEMENT_DEFAULT_DAYS = 31;

app.http(FUNCTIONS.merchantBalances, {
  route: apiRoute('v1/balances'),
  methods: ['GET'],
  authLevel: 'anonymous',
  handler: httpHandler(merchantOnly, async (call) => {
    const q = call.query(balanceQuerySchema);
    const engine = await orderEngine(call.log);
    const items = await listStoreBalances(engine.deps, call.principal.tenantId, { storeId: storeScope(call.principal, q.storeId), currency: q.currency });
    return ok({ items });
  }),
});

app.http(FUNCTIONS.merchantBalanceHistory, {
  route: apiRoute('v1/balances/{currency}/history'),
  methods: ['GET'],
  authLevel: 'anonymous',
  handler: httpHandler(merchantOnly, async (call) => {
    const { currency } = call.params(currencyParams);
    const q = call.query(historyQuerySchema);
    const engine = await orderEngine(call.log);
    const storeId = await resolveStore(engine.deps, call.principal.tenantId, storeScope(call.principal, q.storeId));
    const page = await balanceHistory(engine.deps, call.principal.tenantId, storeId, currency, { limit: q.limit, continuation: q.continuation });
    return ok({ storeId, currency, ...page });
  }),
});

app.http(FUNCTIONS.merchantStatement, {
  route: apiRoute('v1/statement'),
  methods: ['GET'],
  authLevel: 'anonymous',
  handler: httpHandler(merchantOnly, async (call) => {
    const q = call.query(statementQuerySchema);
    const engine = await orderEngine(call.log);
    const storeId = await resolveStore(engine.deps, call.principal.tenantId, storeScope(call.principal, q.storeId));
    const to = q.to ?? engine.deps.clock.now().toISOString();
    const from = q.from ?? new Date(Date.parse(to) - STATEMENT_DEFAULT_DAYS * 86_400_000).toISOString();
    const csv = await storeStatementCsv(engine.deps, call.principal.tenantId, storeId, q.currency, { from, to });
    return {
      status: 200,
      headers: {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="statement-${storeId}-${q.currency}-${from.slice(0, 10)}-${to.slice(0, 10)}.csv"`,
        'cache-control': 'no-store',
      },
      body: csv,
    };
  }),
});
