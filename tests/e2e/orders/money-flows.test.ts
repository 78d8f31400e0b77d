/**
 * Issue 10 evidence through the real local runtime: neutral staff controls (fraud review approved
 * and rejected, merchant staff cannot resolve a dispute), a deactivated trader refused, and the
 * money flows of the payer gateway, pay-out payees and merchant self-service.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { signLocalToken, type Role } from '../../../shared/auth';
import { storeAccount } from '../../../shared/orders/ledger-postings';
import { orderEngine } from '../../../shared/wiring/orders';
import { DEMO_ACCOUNT_NUMBERS } from '../../../scripts/seed-data';
import { startE2eHost, type E2eHost } from '../../support/e2e-host';
import { eventually as poll } from '../../support/eventually';

/** Polling ceiling and interval of this file (no timing assertion). */
const eventually = <T>(read: () => Promise<T | undefined>, what: string, timeoutMs = 60_000) => poll(read, what, { timeoutMs, pollMs: 150 });
const JSON_HEADERS = { 'content-type': 'application/json' };
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n', 'latin1');

/** multipart/form-data with one PDF file part (`receipt`, or `evidence` for a dispute) and an optional reason. */
const fileForm = (name: 'receipt' | 'evidence', reason?: string) => {
  const form = new FormData();
  form.append(name, new Blob([new Uint8Array(PDF)], { type: 'application/pdf' }), `${name}.pdf`);
  if (reason !== undefined) form.append('reason', reason);
  return form;
};

interface PayerView {
  status: string;
  amount: string;
  currency: string;
  deadline: string;
  linkExpiresAt: string;
  payTo?: { method: string; bank: { id: string; name?: string }; holderName: string; cardNumber?: string; phone?: string; accountNumber?: string };
}

interface Balance {
  storeId: string;
  currency: string;
  available: string;
  held: string;
}

interface ReceivedWebhook {
  id: string;
  type: string;
  data: { id: string; status: string };
}

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
  let receiver: Server;
  const webhooks: ReceivedWebhook[] = [];
  const hooksUrl = () => `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
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
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      req.on('end', () => {
        webhooks.push(JSON.parse(body) as ReceivedWebhook);
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    host = await startE2eHost();
    // Orders of 50 000 RUB and more go to review; nothing else changes.
    await host.putSetting('orders', { FRAUD_REVIEW_AMOUNTS: { RUB: '50000.00', USD: '3000.00' } });
  });
  after(async () => {
    await host?.stop();
    await new Promise((resolve) => receiver?.close(resolve));
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

  /** Minor units of a decimal string (two-digit currencies). */
  const minor = (amount: string | undefined) => Math.round(Number(amount ?? '0') * 100);
  const balanceOf = async (apiKey: string, storeId: string) =>
    (await json<{ items: Balance[] }>(await host.call('/api/v1/balances?currency=RUB', { apiKey }), 200)).items.find((b) => b.storeId === storeId);
  /** The payer's init, repeated while the order is still being assigned (202). */
  const initUntilPayable = (payerUrl: string) =>
    eventually(async () => {
      const res = await fetch(`${payerUrl}/init`, { method: 'POST' });
      const view = await json<PayerView>(res, res.status === 202 ? 202 : 200);
      return view.payTo ? view : undefined;
    }, 'init to show the requisite');

  it('should take a pay-in from the merchant through the payer link to the trader, the balance, the statement and the webhook', async () => {
    const engine = await orderEngine();
    const before = await balanceOf('demo-a-key', 'demo-a-main');
    const order = await create('payins', 'payer-flow', { amount: '1500.00', callbackUrl: hooksUrl() });
    assert.equal(order.status, 'new');
    const payerToken = order.payerToken ?? '';
    assert.match(payerToken, /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
    assert.equal(order.payerUrl, `${host.origin}/api/v1/pay/${payerToken}`);
    const payerUrl = order.payerUrl;
    assert.equal((await create('payins', 'payer-flow', { amount: '1500.00', callbackUrl: hooksUrl() })).payerToken, payerToken, 'a replayed create hands out the same link');

    const status = await json<PayerView>(await fetch(payerUrl), 200);
    assert.deepEqual([status.amount, status.currency, status.payTo], ['1500.00', 'RUB', undefined]);
    const init = await initUntilPayable(payerUrl);
    const doc = await engine.getOrder('demo-a', order.id);
    const requisiteId = doc.assignment?.requisiteId ?? '';
    const cardNumber = (DEMO_ACCOUNT_NUMBERS[requisiteId] ?? '').replace(/\s/g, '');
    assert.equal(init.status, 'assigned');
    assert.deepEqual(
      { amount: init.amount, deadline: init.deadline, cardNumber: init.payTo?.cardNumber, holderName: init.payTo?.holderName, method: init.payTo?.method },
      { amount: '1500.00', deadline: doc.expiresAt, cardNumber, holderName: doc.assignment?.holderName, method: 'card' },
    );
    assert.ok(init.payTo?.bank.name, 'the bank is named');
    // Masked everywhere else: the merchant's view, the webhook, the raw document (which keeps only the link's hash).
    const merchantView = await json<{ requisite?: { displayNumber: string } }>(await host.call(`/api/v1/payins/${order.id}`, { apiKey: 'demo-a-key' }), 200);
    assert.match(merchantView.requisite?.displayNumber ?? '', /\*{4}/);
    assert.doesNotMatch(JSON.stringify(merchantView), new RegExp(cardNumber));
    const raw = JSON.stringify((await engine.deps.store.orders.item(order.id, 'demo-a').read()).resource);
    assert.match(raw, /"payerTokenHash":"[0-9a-f]{64}"/);
    assert.ok(!raw.includes(payerToken.split('.')[1] ?? '') && !raw.includes(cardNumber));
    // Forged, foreign and malformed links open nothing.
    await problem(await fetch(`${host.origin}/api/v1/pay/${payerToken.split('.')[0]}.${'A'.repeat(43)}`), 404, 'payer-link-not-found');
    await problem(await fetch(`${host.origin}/api/v1/pay/not-a-token/init`, { method: 'POST' }), 404, 'payer-link-not-found');

    const paid = await json<PayerView>(await fetch(`${payerUrl}/confirm`, { method: 'POST', body: fileForm('receipt') }), 200);
    assert.equal(paid.status, 'awaiting_confirmation');
    await problem(await fetch(`${payerUrl}/confirm`, { method: 'POST' }), 410, 'payer-link-expired');
    await problem(await fetch(`${payerUrl}/init`, { method: 'POST' }), 410, 'payer-link-expired');
    assert.equal((await json<PayerView>(await fetch(payerUrl), 200)).status, 'awaiting_confirmation');

    const traderId = doc.assignment?.traderId ?? '';
    const trader = await token(traderId, ['trader']);
    const details = await json<{ requisiteDetails?: { cardNumber?: string }; receipts?: { role: string }[] }>(await host.call(`/api/v1/trader/orders/${order.id}`, { token: trader }), 200);
    assert.equal(details.requisiteDetails?.cardNumber, cardNumber);
    assert.deepEqual(details.receipts?.map((r) => r.role), ['payer']);
    await problem(await host.call(`/api/v1/trader/orders/${order.id}`, { token: await token(traderId === 'trader-1' ? 'trader-2' : 'trader-1', ['trader']) }), 403, 'forbidden');
    assert.equal((await json<View>(await post(`/api/v1/trader/orders/${order.id}/confirm`, { token: trader }), 200)).status, 'completed');

    // 1500.00 less the store's 3 % commission.
    const after = await balanceOf('demo-a-key', 'demo-a-main');
    assert.equal(minor(after?.available) - minor(before?.available), 145_500);
    const history = await json<{ items: { orderId: string; kind: string; amount: string; balanceAfter: string }[] }>(await host.call('/api/v1/balances/RUB/history?limit=5', { apiKey: 'demo-a-key' }), 200);
    assert.deepEqual(history.items[0], { ...history.items[0], orderId: order.id, kind: 'settle', amount: '1455.00', balanceAfter: after?.available });
    const statement = await host.call('/api/v1/statement?currency=RUB', { apiKey: 'demo-a-key' });
    assert.equal(statement.status, 200);
    assert.match(statement.headers.get('content-type') ?? '', /^text\/csv/);
    const lines = (await statement.text()).trimEnd().split('\r\n');
    assert.equal(lines[0], 'at,account,seq,orderId,kind,amount,balanceAfter,currency');
    assert.ok(lines.some((l) => l.includes(`,available,`) && l.endsWith(`,${order.id},settle,1455.00,${after?.available},RUB`)), lines.join('\n'));

    await eventually(async () => (webhooks.some((w) => w.id === `${order.id}:order.status_changed:completed` && w.data.status === 'completed') ? true : undefined), 'the completed webhook');
    assert.doesNotMatch(JSON.stringify(webhooks.filter((w) => w.data.id === order.id)), new RegExp(cardNumber));
    const audit = await json<{ items: { action: string; actor: string; detail?: string }[] }>(
      await host.call(`/api/v1/audit?targetId=${order.id}&limit=100`, { token: await host.adminToken('demo-a') }),
      200,
    );
    const seen = audit.items.map((e) => `${e.action} ${e.actor} ${e.detail ?? ''}`);
    for (const expected of [
      `order.details-read payer:${order.id} payer-requisite`,
      `order.status-change payer:${order.id} confirm_payment:assigned->awaiting_confirmation`,
      `order.details-read user:${traderId} trader-requisite`,
      `order.status-change user:${traderId} confirm:awaiting_confirmation->completed`,
    ]) {
      assert.ok(seen.includes(expected), `${expected} in ${seen.join('; ')}`);
    }
  });

  it('should show a pay-out payee in full to the assigned trader only, and complete it with his receipt', async () => {
    const order = await create('payouts', 'payee-flow', { amount: '2500.00', payee: { cardNumber: '4111 1111 1111 1111', holderName: 'ANNA K.' } });
    assert.equal(order.payerToken, undefined);
    await waitFor('payouts', order.id, 'assigned');
    const traderId = (await (await orderEngine()).getOrder('demo-a', order.id)).assignment?.traderId ?? '';
    const trader = await token(traderId, ['trader']);
    const details = await json<{ payeeDetails?: unknown }>(await host.call(`/api/v1/trader/orders/${order.id}`, { token: trader }), 200);
    assert.deepEqual(details.payeeDetails, { kind: 'card', number: '4111111111111111', holderName: 'ANNA K.' });
    const list = await json<{ items: { id: string; payee?: { displayNumber: string } }[] }>(await host.call('/api/v1/trader/orders', { token: trader }), 200);
    assert.equal(list.items.find((o) => o.id === order.id)?.payee?.displayNumber, '**** 1111');
    assert.doesNotMatch(JSON.stringify(list), /4111111111111111|ANNA/);
    await problem(await post(`/api/v1/trader/orders/${order.id}/confirm`, { token: trader }), 400, 'receipt-required');
    const sent = await json<View>(await host.call(`/api/v1/trader/orders/${order.id}/confirm`, { method: 'POST', token: trader, body: fileForm('receipt') }), 200);
    assert.equal(sent.status, 'awaiting_confirmation');
    assert.equal((await json<View>(await post(`/api/v1/payouts/${order.id}/confirm`, { apiKey: 'demo-a-key' }), 200)).status, 'completed');
    const audit = await json<{ items: { action: string; detail?: string }[] }>(await host.call(`/api/v1/audit?targetId=${order.id}`, { token: await host.adminToken('demo-a') }), 200);
    assert.ok(audit.items.some((e) => e.action === 'order.details-read' && e.detail === 'trader-payee'));
  });

  it('should let a merchant list, cancel and dispute its own orders by API key, and never resolve them', async () => {
    const a = await create('payins', 'self-service-1', { amount: '700.00', customerRef: 'shopper-77' });
    const b = await create('payins', 'self-service-2', { amount: '800.00', customerRef: 'shopper-77' });
    await Promise.all([waitFor('payins', a.id, 'assigned'), waitFor('payins', b.id, 'assigned')]);
    const list = (query: string, apiKey = 'demo-a-key') => host.call(`/api/v1/orders?${query}`, { apiKey }).then((res) => json<{ items: View[]; continuation?: string }>(res, 200));
    const first = await list('customerRef=shopper-77&limit=1');
    assert.equal(first.items.length, 1);
    const second = await list(`customerRef=shopper-77&limit=1&continuation=${first.continuation ?? ''}`);
    assert.deepEqual(new Set([first.items[0]?.id, second.items[0]?.id]), new Set([a.id, b.id]));
    assert.equal((await list('customerRef=shopper-77&status=cancelled')).items.length, 0);
    assert.equal((await list(`customerRef=shopper-77&from=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`)).items.length, 0);
    assert.equal((await list('customerRef=shopper-77', 'demo-b-key')).items.length, 0);
    await problem(await host.call('/api/v1/orders?from=yesterday', { apiKey: 'demo-a-key' }), 400, 'validation-failed');

    assert.equal((await json<View>(await post(`/api/v1/payins/${a.id}/cancel`, { apiKey: 'demo-a-key', body: { reason: 'customer left' } }), 200)).status, 'cancelled');
    assert.deepEqual((await list('customerRef=shopper-77&status=cancelled')).items.map((o) => o.id), [a.id]);
    await problem(await post(`/api/v1/payins/${a.id}/cancel`, { apiKey: 'demo-a-key' }), 409, 'illegal-transition');
    await problem(await post(`/api/v1/payins/${b.id}/cancel`, { apiKey: 'demo-b-key' }), 404, 'not-found');

    // Once the payer has paid, the merchant cannot cancel; it disputes with a reason and evidence.
    await json(await fetch(`${b.payerUrl ?? ''}/confirm`, { method: 'POST' }), 200);
    await problem(await post(`/api/v1/payins/${b.id}/cancel`, { apiKey: 'demo-a-key' }), 409, 'illegal-transition');
    const dispute = (body: FormData) => host.call(`/api/v1/orders/${b.id}/dispute`, { method: 'POST', apiKey: 'demo-a-key', body });
    await problem(await dispute(fileForm('evidence')), 400, 'validation-failed');
    const disputed = await json<View & { receipts?: { action: string; blobName: string }[] }>(await dispute(fileForm('evidence', 'charged twice')), 200);
    assert.equal(disputed.status, 'disputed');
    assert.match(disputed.receipts?.find((r) => r.action === 'dispute')?.blobName ?? '', new RegExp(`^demo-a/${b.id}/evidence-[0-9a-f-]+\\.pdf$`));
    await problem(await post(`/api/v1/support/orders/${b.id}/resolve`, { apiKey: 'demo-a-key', body: { outcome: 'complete' } }), 403, 'forbidden');
    await problem(await post(`/api/v1/support/orders/${b.id}/resolve`, { token: await token('admin-a', ['admin'], 'demo-a'), body: { outcome: 'complete' } }), 403, 'platform-staff-required');
    assert.equal((await json<View>(await post(`/api/v1/support/orders/${b.id}/resolve`, { token: await platformSupport(), body: { outcome: 'complete' } }), 200)).status, 'completed');
  });

  it("should keep each store's orders, balance and statement apart, with API keys bound to a store", async () => {
    const admin = await host.adminToken('platform');
    const putStore = (tokenValue: string, body: unknown) =>
      host.call('/api/v1/admin/tenants/demo-a/stores/demo-a-north', { method: 'PUT', token: tokenValue, headers: JSON_HEADERS, body: JSON.stringify(body) });
    await problem(await putStore(await host.adminToken('demo-a'), { name: 'North', commission: { payinBps: 200, payoutBps: 200 } }), 403, 'platform-tenant-required');
    await problem(await putStore(admin, { name: 'North' }), 400, 'validation-failed');
    const store = await json<{ id: string; default: boolean }>(await putStore(admin, { name: 'North', commission: { payinBps: 200, payoutBps: 200 }, callbackUrl: hooksUrl() }), 201);
    assert.deepEqual([store.id, store.default], ['demo-a-north', false]);
    const stores = await json<{ items: { id: string; default: boolean }[] }>(await host.call('/api/v1/admin/tenants/demo-a/stores', { token: admin }), 200);
    assert.deepEqual(stores.items.map((s) => [s.id, s.default]), [['demo-a-main', true], ['demo-a-north', false]]);
    const { key } = await json<{ key: string }>(
      await host.call('/api/v1/admin/tenants/demo-a/api-keys', { method: 'POST', token: admin, headers: JSON_HEADERS, body: JSON.stringify({ storeId: 'demo-a-north' }) }),
      201,
    );

    const north = await create('payins', 'north-1', { amount: '900.00' }, key);
    const main = await create('payins', 'main-1', { amount: '900.00' });
    const northDoc = await (await orderEngine()).getOrder('demo-a', north.id);
    assert.deepEqual([northDoc.storeId, northDoc.callbackUrl], ['demo-a-north', hooksUrl()]);
    const ids = async (route: string, apiKey: string) => (await json<{ items: View[] }>(await host.call(route, { apiKey }), 200)).items.map((o) => o.id);
    assert.deepEqual(await ids('/api/v1/orders', key), [north.id]);
    assert.deepEqual(await ids('/api/v1/orders?storeId=demo-a-north', 'demo-a-key'), [north.id]);
    assert.ok((await ids('/api/v1/orders?limit=200', 'demo-a-key')).includes(main.id));
    await problem(await host.call(`/api/v1/payins/${main.id}`, { apiKey: key }), 404, 'not-found');
    await problem(await host.call('/api/v1/orders?storeId=demo-a-main', { apiKey: key }), 403, 'forbidden');

    await initUntilPayable(north.payerUrl ?? '');
    await json(await fetch(`${north.payerUrl ?? ''}/confirm`, { method: 'POST' }), 200);
    const trader = await token((await (await orderEngine()).getOrder('demo-a', north.id)).assignment?.traderId ?? '', ['trader']);
    await json(await post(`/api/v1/trader/orders/${north.id}/confirm`, { token: trader }), 200);
    // 900.00 less North's 2 % commission, on North's balance only.
    const northBalances = await json<{ items: Balance[] }>(await host.call('/api/v1/balances', { apiKey: key }), 200);
    assert.deepEqual(northBalances.items.map((b) => [b.storeId, b.currency, b.available, b.held]), [['demo-a-north', 'RUB', '882.00', '0.00']]);
    assert.deepEqual((await json<{ items: Balance[] }>(await host.call('/api/v1/balances?currency=RUB', { apiKey: 'demo-a-key' }), 200)).items.map((b) => b.storeId), ['demo-a-main', 'demo-a-north']);
    const csv = await (await host.call('/api/v1/statement?currency=RUB', { apiKey: key })).text();
    assert.deepEqual(csv.trimEnd().split('\r\n').slice(1).map((l) => l.split(',').slice(1, 6).join(',')), [`available,1,${north.id},settle,882.00`]);
    await eventually(async () => (webhooks.some((w) => w.id === `${north.id}:order.status_changed:completed`) ? true : undefined), "the store's webhook");
  });
  it('should rate-limit the payer gateway per link and per source', async () => {
    const order = await create('payins', 'payer-limits', { amount: '300.00' });
    const payerUrl = order.payerUrl ?? '';
    await host.putSetting('rate-limits', { payerPerToken: 3, payerPerSource: 5 });
    try {
      // Settings are cached for seconds: poll until the new limits bite (a deadline, not a timing assertion).
      const limited = await eventually(async () => {
        const res = await fetch(payerUrl);
        return res.status === 429 ? res : undefined;
      }, 'the link to be limited');
      assert.ok(Number(limited.headers.get('retry-after')) > 0);
      await problem(limited, 429, 'rate-limited');
      // One source walking through guessed tokens is stopped, whatever the tokens; another source is not.
      const guess = (i: number, ip: string) => fetch(`${host.origin}/api/v1/pay/guess-${i}`, { headers: { 'x-forwarded-for': ip } });
      const statuses: number[] = [];
      // 12 guesses: even if a window boundary falls among them, one window sees more than 5.
      for (let i = 0; i < 12; i += 1) statuses.push((await guess(i, '203.0.113.9')).status);
      assert.ok(statuses.slice(0, 5).every((s) => s === 404) && statuses.includes(429), statuses.join(','));
      await problem(await guess(99, '198.51.100.20'), 404, 'payer-link-not-found');
    } finally {
      await host.putSetting('rate-limits', {});
    }
  });
});
