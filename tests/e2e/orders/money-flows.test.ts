/**
 * Issue 10 evidence through the real local runtime: neutral staff controls (fraud review approved
 * and rejected, merchant staff cannot resolve a dispute), a deactivated trader refused, and the
 * money flows of the payer gateway, pay-out payees and merchant self-service.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { signLocalToken, type Role } from '../../../shared/auth';
import { storeAccount } from '../../../shared/orders/ledger-postings';
import { orderEngine } from '../../../shared/wiring/orders';
import { startE2eHost, type E2eHost } from '../../support/e2e-host';
import { eventually as poll } from '../../support/eventually';

/** Polling ceiling and interval of this file (no timing assertion). */
const eventually = <T>(read: () => Promise<T | undefined>, what: string, timeoutMs = 60_000) => poll(read, what, { timeoutMs, pollMs: 150 });
const JSON_HEADERS = { 'content-type': 'application/json' };

interface Problem {
  type: string;
  currentStatus?: string;
}

interface View {
  id: string;
  status: string;
  failureReason?: string;
}

describe('orders that move money e2e (local runtime)', () => {
  let host: E2eHost;
  const token = (subject: string, roles: Role[], tenantId = 'demo-a') =>
    signLocalToken({ secret: host.settings.LOCAL_JWT_SECRET ?? '', issuer: host.settings.JWT_ISSUER ?? '', audience: host.settings.JWT_AUDIENCE ?? '', subject, tenantId, roles });
  const json = async <T>(res: Response, status: number): Promise<T> => {
    const text = await res.text();
    assert.equal(res.status, status, text);
    return JSON.parse(text) as T;
  };
  const problem = async (res: Response, status: number, type: string): Promise<Problem> => {
    const body = await json<Problem>(res, status);
    assert.equal(body.type, `urn:vouch:problem:${type}`);
    return body;
  };
  const post = (route: string, init: { token?: string; apiKey?: string; body?: unknown; key?: string }) =>
    host.call(route, {
      method: 'POST',
      ...(init.token ? { token: init.token } : {}),
      ...(init.apiKey ? { apiKey: init.apiKey } : {}),
      headers: { ...JSON_HEADERS, ...(init.key ? { 'idempotency-key': init.key } : {}) },
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    });
  const create = async (path: 'payins' | 'payouts', key: string, body: Record<string, unknown>, apiKey = 'demo-a-key') =>
    json<View & { payerToken?: string; payerUrl?: string }>(await post(`/api/v1/${path}`, { apiKey, key, body: { currency: 'RUB', method: 'card', customerRef: key, ...body } }), 201);
  const waitFor = (path: 'payins' | 'payouts', id: string, status: string, apiKey = 'demo-a-key') =>
    eventually(async () => {
      const view = await json<View>(await host.call(`/api/v1/${path}/${id}`, { apiKey }), 200);
      return view.status === status ? view : undefined;
    }, `${path} ${id} to be ${status}`);
  const platformSupport = () => token('sup-platform', ['support'], 'platform');

  before(async () => {
    host = await startE2eHost();
    // Orders of 50 000 RUB and more go to review; nothing else changes.
    await host.putSetting('orders', { FRAUD_REVIEW_AMOUNTS: { RUB: '50000.00', USD: '3000.00' } });
  });
  after(async () => {
    await host?.stop();
  });

  it('should assign a reviewed pay-in once platform support approves it, with the reason audited', async () => {
    const order = await create('payins', 'review-approve', { amount: '60000.00' });
    await waitFor('payins', order.id, 'review');
    const merchantSupport = await token('sup-a', ['support'], 'demo-a');
    await problem(await post(`/api/v1/support/orders/${order.id}/review`, { token: merchantSupport, body: { decision: 'approve', reason: 'known customer' } }), 403, 'platform-staff-required');
    const support = await platformSupport();
    await problem(await post(`/api/v1/support/orders/${order.id}/review`, { token: support, body: { decision: 'approve' } }), 400, 'validation-failed');
    const approved = await json<View>(await post(`/api/v1/support/orders/${order.id}/review`, { token: support, body: { decision: 'approve', reason: 'known customer' } }), 200);
    assert.equal(approved.status, 'new');
    await waitFor('payins', order.id, 'assigned');
    const doc = await (await orderEngine()).getOrder('demo-a', order.id);
    assert.ok(doc.history.some((h) => h.event === 'approve_review' && h.reason === 'known customer' && h.by === 'user:sup-platform'));
    const audit = await json<{ items: { action: string; targetId: string; detail?: string }[] }>(
      await host.call(`/api/v1/audit?targetId=${order.id}`, { token: await host.adminToken('demo-a') }),
      200,
    );
    assert.ok(audit.items.some((e) => e.action === 'order.status-change' && e.detail === 'approve_review:review->new'), JSON.stringify(audit.items));
  });

  it('should fail a reviewed pay-out that platform support rejects and release its hold', async () => {
    const engine = await orderEngine();
    const account = storeAccount('demo-a', 'demo-a-main', 'RUB').accountId;
    const before = (await engine.getBalance(account))?.balanceMinor ?? 0;
    const order = await create('payouts', 'review-reject', { amount: '55000.00', payee: { cardNumber: '4111 1111 1111 1111', holderName: 'ANNA K.' } });
    await waitFor('payouts', order.id, 'review');
    assert.ok(((await engine.getBalance(account))?.balanceMinor ?? 0) < before, 'the pay-out holds its amount');
    const rejected = await json<View>(await post(`/api/v1/support/orders/${order.id}/review`, { token: await platformSupport(), body: { decision: 'reject', reason: 'mule account' } }), 200);
    assert.deepEqual([rejected.status, rejected.failureReason], ['failed', 'fraud-review-rejected']);
    await eventually(async () => (((await engine.getBalance(account))?.balanceMinor ?? 0) === before ? true : undefined), 'the hold to be released');
  });

  it("should let merchant staff open a dispute but never resolve it; platform support resolves", async () => {
    const order = await create('payins', 'dispute-neutral', { amount: '170.00' });
    await waitFor('payins', order.id, 'assigned');
    await (await orderEngine()).applyOrderAction({ role: 'merchant', id: 'apikey:test', tenantId: 'demo-a' }, 'demo-a', order.id, { action: 'cancel' });
    const merchantAdmin = await token('admin-a', ['admin'], 'demo-a');
    const disputed = await json<View>(await post(`/api/v1/support/orders/${order.id}/dispute`, { token: merchantAdmin, body: { reason: 'customer says he paid' } }), 200);
    assert.equal(disputed.status, 'disputed');
    for (const staff of [merchantAdmin, await token('sup-a', ['support'], 'demo-a')]) {
      await problem(await post(`/api/v1/support/orders/${order.id}/resolve`, { token: staff, body: { outcome: 'complete' } }), 403, 'platform-staff-required');
    }
    assert.equal((await (await orderEngine()).getOrder('demo-a', order.id)).status, 'disputed');
    const resolved = await json<View>(await post(`/api/v1/support/orders/${order.id}/resolve`, { token: await platformSupport(), body: { outcome: 'cancel', reason: 'no payment found' } }), 200);
    assert.equal(resolved.status, 'cancelled');
  });

  it('should refuse a deactivated trader everywhere', async () => {
    const admin = await host.adminToken('platform');
    const put = (active: boolean) => host.call('/api/v1/admin/users/trader-3', { method: 'PUT', token: admin, headers: JSON_HEADERS, body: JSON.stringify({ active }) });
    await json(await put(false), 200);
    try {
      const trader = await token('trader-3', ['trader']);
      await problem(await host.call('/api/v1/trader/orders', { token: trader }), 403, 'trader-inactive');
      await problem(await host.call('/api/v1/trader/requisites', { token: trader }), 403, 'trader-inactive');
      await problem(await post('/api/v1/trader/orders/any-order/confirm', { token: trader }), 403, 'trader-inactive');
      await problem(await post('/api/v1/trader/orders/any-order/cancel', { token: trader }), 403, 'trader-inactive');
      await problem(await host.call('/api/v1/trader/requisites/req-bank-vtb-3', { method: 'PATCH', token: trader, headers: JSON_HEADERS, body: '{"status":"paused"}' }), 403, 'trader-inactive');
    } finally {
      await json(await put(true), 200);
    }
    await json(await host.call('/api/v1/trader/orders', { token: await token('trader-3', ['trader']) }), 200);
  });

  it('should keep payment details unreadable in the raw Cosmos documents', async () => {
    const { store } = (await orderEngine()).deps;
    const raw = async (container: typeof store.orders, id: string, pk: string) => JSON.stringify((await container.item(id, pk).read()).resource);
    const requisite = await raw(store.requisites, 'req-card-sber-1', 'platform');
    assert.match(requisite, /"sealedNumber":\{"v":1,"kid":"kek-[0-9a-f]{16}"/);
    assert.doesNotMatch(requisite.replace(/\s/g, ''), /2202206145324411/);
    const order = await create('payouts', 'sealed-payee', { amount: '300.00', payee: { cardNumber: '5555 5555 5555 4444', holderName: 'MARIA L.' } });
    const doc = await raw(store.orders, order.id, 'demo-a');
    assert.match(doc, /"payee":\{"kind":"card","displayNumber":"\*\*\*\* 4444","sealed":\{"v":1,"kid":"kek-/);
    assert.doesNotMatch(doc, /5555555555554444|MARIA/);
    await problem(await post('/api/v1/payouts', { apiKey: 'demo-a-key', key: 'bad-payee', body: { amount: '300.00', currency: 'RUB', method: 'card', customerRef: 'x', payee: { cardNumber: '5555 5555 5555 4445', holderName: 'M' } } }), 400, 'validation-failed');
    await problem(await post('/api/v1/payouts', { apiKey: 'demo-a-key', key: 'no-payee', body: { amount: '300.00', currency: 'RUB', method: 'card', customerRef: 'x' } }), 400, 'validation-failed');
  });
  it('should reconcile the ledger after a mixed run with disputes, trader deposits and withdrawals', async () => {
    const admin = await host.adminToken('platform');
    const deposit = (key: string, body: unknown) => post('/api/v1/admin/traders/trader-1/deposits', { token: admin, key, body });
    const topUp = await json<{ balance: string; replayed: boolean }>(await deposit('e2e-top-up', { direction: 'top-up', amount: '1000' }), 200);
    assert.equal(topUp.replayed, false);
    assert.equal((await json<{ replayed: boolean; balance: string }>(await deposit('e2e-top-up', { direction: 'top-up', amount: '1000' }), 200)).replayed, true);
    await json(await deposit('e2e-withdrawal', { direction: 'withdrawal', amount: '250.5' }), 200);
    await problem(await deposit('e2e-top-up', { direction: 'top-up', amount: '1' }), 409, 'idempotency-key-reused');
    await problem(await post('/api/v1/admin/traders/trader-1/deposits', { token: admin, body: { direction: 'top-up', amount: '1' } }), 400, 'bad-request');
    await problem(await post('/api/v1/admin/traders/trader-1/deposits', { token: await token('admin-a', ['admin'], 'demo-a'), key: 'k', body: { direction: 'top-up', amount: '1' } }), 403, 'platform-tenant-required');
    // One more dispute, resolved in the merchant's favour after the trader cancelled: money moves on both sides.
    const order = await create('payins', 'reconcile-dispute', { amount: '420.00' });
    await waitFor('payins', order.id, 'assigned');
    await (await orderEngine()).applyOrderAction({ role: 'merchant', id: 'apikey:test', tenantId: 'demo-a' }, 'demo-a', order.id, { action: 'cancel' });
    await json(await post(`/api/v1/support/orders/${order.id}/dispute`, { token: await platformSupport(), body: { reason: 'paid after all' } }), 200);
    await json(await post(`/api/v1/support/orders/${order.id}/resolve`, { token: await platformSupport(), body: { outcome: 'complete', reason: 'receipt checked' } }), 200);
    const report = await eventually(async () => {
      const r = await json<{ ok: boolean; postings: number; journals: number; mismatches: unknown[] }>(await host.call('/api/v1/admin/ledger/reconciliation', { token: admin }), 200);
      return r.journals > 0 ? r : undefined;
    }, 'a reconciliation report');
    assert.deepEqual([report.ok, report.mismatches], [true, []]);
    await problem(await host.call('/api/v1/admin/ledger/reconciliation', { token: await token('admin-a', ['admin'], 'demo-a') }), 403, 'platform-tenant-required');
    const banks = await json<{ items: { id: string }[] }>(await host.call('/api/v1/admin/reference-data/banks', { token: admin }), 200);
    assert.ok(banks.items.some((b) => b.id === 'bank:sber'));
  });
});
