/**
 * OpenAPI documentation of the issue-10 self-service routes (branch w-orders2). Not compiled here:
 * the branch predates shared/openapi. After merging w-orders2 into a main that has the OpenAPI work,
 * move this file to functions/openapi-docs/orders-self-service.ts and add
 * `import './orders-self-service';` to functions/openapi-docs/index.ts (the OpenAPI e2e test lists
 * every registered route that is not documented).
 */
import { z } from 'zod';
import { FUNCTIONS } from '../../shared/names';
import { documentRoute, type HttpMethod, type RouteDoc } from '../../shared/openapi/route-doc';
import { balanceQuerySchema, currencyParams, historyQuerySchema, merchantOrderQuerySchema, statementQuerySchema } from '../../shared/orders/merchant/merchant-requests';
import { putStoreBodySchema, storeIdParams } from '../../shared/orders/merchant/store-admin';
import { reasonBodySchema } from '../../shared/orders/staff-requests';
import { idParams as merchantIdParams } from '../merchant-orders';
import { idParams as staffIdParams } from '../order-staff';
import { tokenParams } from '../payer';
import { filePart, page, view } from './common';

const order = view({ id: z.string(), status: z.string() }, 'MerchantOrder');
const payTo = z.object({ method: z.string(), bank: z.object({ id: z.string(), name: z.string().optional() }), holderName: z.string(), cardNumber: z.string().optional(), phone: z.string().optional(), accountNumber: z.string().optional() });
const payerView = view({ status: z.string(), amount: z.string(), currency: z.string(), method: z.string(), deadline: z.string(), linkExpiresAt: z.string(), payTo: payTo.optional() }, 'PayerView', {
  status: 'assigned', amount: '1500.00', currency: 'RUB', method: 'card', deadline: '2026-12-05T12:45:00.000Z', linkExpiresAt: '2026-12-05T12:45:00.000Z',
  payTo: { method: 'card', bank: { id: 'sber', name: 'Sberbank' }, holderName: 'IVAN P.', cardNumber: '2202206145324411' },
});
const balance = view({ storeId: z.string(), currency: z.string(), available: z.string(), held: z.string(), updatedAt: z.string() }, 'StoreBalance');
const balanceLine = view({ at: z.string(), seq: z.number(), orderId: z.string(), kind: z.string(), amount: z.string(), balanceAfter: z.string() }, 'BalanceLine');
const store = view({ id: z.string(), tenantId: z.string(), name: z.string(), active: z.boolean(), default: z.boolean() }, 'Store');
const payerProblems = { 404: ['payer-link-not-found'], 410: ['payer-link-expired'], 429: ['rate-limited'] };
const receiptBody = (file: 'receipt' | 'evidence') => reasonBodySchema.extend({ [file]: filePart('JPEG, PNG or PDF, <= 10 MB').optional() });

const route = (fn: string, method: HttpMethod, path: string, summary: string, tag: string, rest: Partial<RouteDoc>) =>
  documentRoute({ function: fn, method, path, summary, tags: [tag], auth: ['apiKey'], rateLimited: true, responses: {}, ...rest });

route(FUNCTIONS.payerInit, 'POST', '/api/v1/pay/{token}/init', 'Start paying: assign if needed and show the full requisite', 'Payer', {
  auth: ['payerToken'], rateLimited: false, params: tokenParams, problems: payerProblems,
  responses: { 200: { description: 'What to pay to', schema: payerView }, 202: { description: 'Still being assigned; retry', schema: payerView } },
});
route(FUNCTIONS.payerStatus, 'GET', '/api/v1/pay/{token}', 'The payment status', 'Payer', {
  auth: ['payerToken'], rateLimited: false, params: tokenParams, problems: payerProblems, responses: { 200: { description: 'The status', schema: payerView } },
});
route(FUNCTIONS.payerConfirm, 'POST', '/api/v1/pay/{token}/confirm', 'The payer has paid (optional receipt)', 'Payer', {
  auth: ['payerToken'], rateLimited: false, params: tokenParams, body: { contentType: 'multipart/form-data', required: false, schema: receiptBody('receipt') },
  problems: { ...payerProblems, 409: ['illegal-transition'] }, responses: { 200: { description: 'Awaiting confirmation', schema: payerView } },
});
route(FUNCTIONS.merchantListOrders, 'GET', '/api/v1/orders', "The merchant's orders, filtered and paged", 'Orders', {
  query: merchantOrderQuerySchema, problems: { 400: ['invalid-continuation'], 403: ['forbidden'] }, responses: { 200: { description: 'A page of orders', schema: page(order, 'MerchantOrderPage') } },
});
route(FUNCTIONS.merchantCancelPayin, 'POST', '/api/v1/payins/{id}/cancel', 'Cancel a pay-in before it is paid', 'Orders', {
  params: merchantIdParams, body: { schema: reasonBodySchema, required: false }, problems: { 404: ['not-found'], 409: ['illegal-transition'] },
  responses: { 200: { description: 'The cancelled order', schema: order } },
});
route(FUNCTIONS.merchantDisputeOrder, 'POST', '/api/v1/orders/{id}/dispute', 'Open a dispute with a reason and evidence', 'Orders', {
  params: merchantIdParams, body: { contentType: 'multipart/form-data', schema: receiptBody('evidence') }, problems: { 404: ['not-found'], 409: ['illegal-transition'] },
  responses: { 200: { description: 'The disputed order', schema: order } },
});
route(FUNCTIONS.merchantBalances, 'GET', '/api/v1/balances', 'Balances per store and currency', 'Money', {
  query: balanceQuerySchema, problems: { 403: ['forbidden'] }, responses: { 200: { description: 'Balances', schema: z.object({ items: z.array(balance) }) } },
});
route(FUNCTIONS.merchantBalanceHistory, 'GET', '/api/v1/balances/{currency}/history', "One balance's postings, newest first", 'Money', {
  params: currencyParams, query: historyQuerySchema, problems: { 403: ['forbidden'], 404: ['not-found'] },
  responses: { 200: { description: 'A page of postings', schema: page(balanceLine, 'BalanceLinePage') } },
});
route(FUNCTIONS.merchantStatement, 'GET', '/api/v1/statement', 'Ledger statement of a store (CSV)', 'Money', {
  query: statementQuerySchema, problems: { 403: ['forbidden'], 404: ['not-found'] },
  responses: { 200: { description: 'at,account,seq,orderId,kind,amount,balanceAfter,currency', contentType: 'text/csv', schema: z.string() } },
});
route(FUNCTIONS.traderOrderDetails, 'GET', '/api/v1/trader/orders/{id}', 'One order with its payment details in full (assigned trader)', 'Traders', {
  auth: ['bearer'], rateLimited: false, params: staffIdParams, problems: { 403: ['forbidden', 'trader-inactive'], 404: ['not-found'] },
  responses: { 200: { description: 'The order with payeeDetails / requisiteDetails', schema: order } },
});
route(FUNCTIONS.adminPutStore, 'PUT', '/api/v1/admin/tenants/{id}/stores/{storeId}', 'Create or change a merchant store (platform admin)', 'Onboarding', {
  auth: ['bearer'], rateLimited: false, params: storeIdParams, body: { schema: putStoreBodySchema }, problems: { 403: ['platform-tenant-required'], 404: ['not-found'], 409: ['store-id-taken'] },
  responses: { 200: { description: 'Updated', schema: store }, 201: { description: 'Created', schema: store } },
});
route(FUNCTIONS.adminListStores, 'GET', '/api/v1/admin/tenants/{id}/stores', "A tenant's stores (platform admin)", 'Onboarding', {
  auth: ['bearer'], rateLimited: false, params: storeIdParams.pick({ id: true }), problems: { 403: ['platform-tenant-required'], 404: ['not-found'] },
  responses: { 200: { description: 'Stores', schema: z.object({ items: z.array(store) }) } },
});
