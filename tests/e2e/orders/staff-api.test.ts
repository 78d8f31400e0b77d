/**
 * The staff order API through the real local runtime: traders' requisites,
 * team leads' traders and stats, support's paginated order list, platform
 * admins' users and requisites, and receipts on confirmations (stored in the
 * `receipts` blob container of the host's own Azurite).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { BlobServiceClient } from '@azure/storage-blob';
import { signLocalToken, type Role } from '../../../shared/auth';
import { BLOB_CONTAINERS } from '../../../shared/names';
import { startE2eHost, type E2eHost } from '../../support/e2e-host';
import { eventually as poll } from '../../support/eventually';

/** Polling ceiling and interval of this file (no timing assertion). */
const eventually = <T>(read: () => Promise<T | undefined>, what: string, timeoutMs = 60_000) => poll(read, what, { timeoutMs, pollMs: 150 });

const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n', 'latin1');
const JSON_HEADERS = { 'content-type': 'application/json' };

const receiptForm = (bytes: Buffer, name = 'receipt') => {
  const form = new FormData();
  form.append(name, new Blob([new Uint8Array(bytes)], { type: 'application/pdf' }), 'receipt.pdf');
  return form;
};

interface Problem {
  type: string;
  errors?: { path: string }[];
  currentStatus?: string;
}

describe('staff order API e2e (local runtime)', () => {
  let host: E2eHost;
  const token = (subject: string, roles: Role[], tenantId = 'demo-a') =>
    signLocalToken({ secret: host.settings.LOCAL_JWT_SECRET ?? '', issuer: host.settings.JWT_ISSUER ?? '', audience: host.settings.JWT_AUDIENCE ?? '', subject, tenantId, roles });
  const json = async <T>(res: Response, status: number): Promise<T> => {
    const text = await res.text();
    assert.equal(res.status, status, text);
    return JSON.parse(text) as T;
  };
  const problem = async (res: Response, status: number, type: string): Promise<Problem> => {
    assert.match(res.headers.get('content-type') ?? '', /application\/problem\+json/);
    const body = await json<Problem>(res, status);
    assert.equal(body.type, `urn:vouch:problem:${type}`);
    return body;
  };
  const createOrder = async (path: 'payins' | 'payouts', apiKey: string, key: string, amount: string) => {
    const res = await host.call(`/api/v1/${path}`, { method: 'POST', apiKey, headers: { ...JSON_HEADERS, 'idempotency-key': key }, body: JSON.stringify({ amount, currency: 'RUB', method: 'card', customerRef: key, ...(path === 'payouts' ? { payee: { cardNumber: '4111 1111 1111 1111', holderName: 'ANNA K.' } } : {}) }) });
    const { id } = await json<{ id: string }>(res, 201);
    return eventually(async () => {
      const view = await json<{ id: string; status: string }>(await host.call(`/api/v1/${path}/${id}`, { apiKey }), 200);
      return view.status === 'assigned' ? view : undefined;
    }, `${path} ${id} to be assigned`);
  };

  before(async () => {
    host = await startE2eHost();
  });
  after(async () => {
    await host?.stop();
  });

  it("should let a trader create, list and pause his own requisites, and 404 another trader's", async () => {
    const trader3 = await token('trader-3', ['trader']);
    const body = { method: 'sbp', bank: 'vtb', currency: 'RUB', ownerName: 'Petr K.', accountNumber: '+7 901 000-11-22', minOrder: '100.00', maxOrder: '20000.00', dailyLimit: '200000.00', monthlyLimit: '2000000.00' };
    const made = await json<{ id: string; status: string; accountNumber: string; maxOrder: string }>(
      await host.call('/api/v1/trader/requisites', { method: 'POST', token: trader3, headers: { ...JSON_HEADERS, 'idempotency-key': 'sbp-1' }, body: JSON.stringify(body) }),
      201,
    );
    assert.deepEqual([made.status, made.accountNumber, made.maxOrder], ['active', '+7 901 000-11-22', '20000.00']);
    const again = await host.call('/api/v1/trader/requisites', { method: 'POST', token: trader3, headers: { ...JSON_HEADERS, 'idempotency-key': 'sbp-1' }, body: JSON.stringify(body) });
    assert.equal((await json<{ id: string }>(again, 200)).id, made.id);

    const invalid = await problem(await host.call('/api/v1/trader/requisites', { method: 'POST', token: trader3, headers: JSON_HEADERS, body: JSON.stringify({ ...body, maxOrder: 20000, currency: 'rub' }) }), 400, 'validation-failed');
    assert.deepEqual([...new Set(invalid.errors?.map((e) => e.path))].sort(), ['currency', 'maxOrder']);

    const list = await json<{ items: { id: string; traderId: string }[] }>(await host.call('/api/v1/trader/requisites', { token: trader3 }), 200);
    assert.ok(list.items.some((r) => r.id === made.id));
    assert.ok(list.items.every((r) => r.traderId === 'trader-3'));

    const patch = (id: string, who: string, value: object) => host.call(`/api/v1/trader/requisites/${id}`, { method: 'PATCH', token: who, headers: JSON_HEADERS, body: JSON.stringify(value) });
    const paused = await json<{ status: string; dailyLimit: string }>(await patch(made.id, trader3, { status: 'paused', dailyLimit: '150000.00' }), 200);
    assert.deepEqual([paused.status, paused.dailyLimit], ['paused', '150000.00']);
    await problem(await patch('req-card-sber-1', trader3, { status: 'paused' }), 404, 'not-found');
    await problem(await patch(made.id, trader3, { usage: {} }), 400, 'validation-failed');
    await problem(await host.call('/api/v1/trader/requisites', { apiKey: 'demo-a-key' }), 403, 'forbidden');
    await problem(await host.call('/api/v1/trader/requisites', { token: await token('teamlead-1', ['teamlead']) }), 403, 'forbidden');
  });

  it("should let a platform admin manage users and requisites, and refuse a merchant tenant's admin", async () => {
    const platform = await token('ops-1', ['admin'], 'platform');
    const merchantAdmin = await host.adminToken('demo-a');
    await problem(await host.call('/api/v1/admin/users', { token: merchantAdmin }), 403, 'platform-tenant-required');
    await problem(await host.call('/api/v1/admin/requisites/req-bank-vtb-3', { method: 'PUT', token: merchantAdmin, headers: JSON_HEADERS, body: '{"status":"blocked"}' }), 403, 'platform-tenant-required');

    const users = await json<{ items: { id: string; role: string }[] }>(await host.call('/api/v1/admin/users?role=trader', { token: platform }), 200);
    assert.deepEqual(users.items.map((u) => u.id), ['trader-1', 'trader-2', 'trader-3']);
    const put = (id: string, value: object) => host.call(`/api/v1/admin/users/${id}`, { method: 'PUT', token: platform, headers: JSON_HEADERS, body: JSON.stringify(value) });
    const moved = await json<{ teamLeadId: string; trafficPriority: number }>(await put('trader-3', { teamLeadId: 'teamlead-1', trafficPriority: 3 }), 200);
    assert.deepEqual([moved.teamLeadId, moved.trafficPriority], ['teamlead-1', 3]);
    await problem(await put('trader-3', { teamLeadId: 'nobody' }), 400, 'validation-failed');
    await problem(await put('nobody', { active: false }), 404, 'not-found');
    const lead = await json<{ id: string; role: string }>(await put('teamlead-e2e', { role: 'teamlead', name: 'E2E team' }), 201);
    assert.deepEqual([lead.id, lead.role], ['teamlead-e2e', 'teamlead']);
    await problem(await put('teamlead-e2e', { trafficPriority: 1 }), 400, 'validation-failed');

    const blocked = await json<{ status: string }>(await host.call('/api/v1/admin/requisites/req-bank-vtb-3', { method: 'PUT', token: platform, headers: JSON_HEADERS, body: '{"status":"blocked"}' }), 200);
    assert.equal(blocked.status, 'blocked');
    const trader3 = await token('trader-3', ['trader']);
    const refused = await problem(
      await host.call('/api/v1/trader/requisites/req-bank-vtb-3', { method: 'PATCH', token: trader3, headers: JSON_HEADERS, body: '{"status":"active"}' }),
      409,
      'requisite-blocked',
    );
    assert.equal(refused.currentStatus, 'blocked');
    const listed = await json<{ items: { id: string; accountNumber?: string }[]; continuation?: string }>(await host.call('/api/v1/admin/requisites?status=blocked', { token: platform }), 200);
    assert.deepEqual(listed.items.map((r) => r.id), ['req-bank-vtb-3']);
    await json(await host.call('/api/v1/admin/requisites/req-bank-vtb-3', { method: 'PUT', token: platform, headers: JSON_HEADERS, body: '{"status":"active"}' }), 200);
  });

  it('should let a team lead see and prioritise only his team, with stats from the orders', async () => {
    const lead = await token('teamlead-1', ['teamlead']);
    const team = await json<{ items: { id: string }[] }>(await host.call('/api/v1/teamlead/traders', { token: lead }), 200);
    assert.ok(team.items.some((t) => t.id === 'trader-1'));
    const set = (id: string, value: unknown) => host.call(`/api/v1/teamlead/traders/${id}/priority`, { method: 'PUT', token: lead, headers: JSON_HEADERS, body: JSON.stringify(value) });
    assert.equal((await json<{ trafficPriority: number }>(await set('trader-2', { priority: 4 }), 200)).trafficPriority, 4);
    await problem(await set('trader-2', { priority: -1 }), 400, 'validation-failed');
    await problem(await set('trader-2', { priority: '1' }), 400, 'validation-failed');
    // trader-3 left the team again
    await json(await host.call('/api/v1/admin/users/trader-3', { method: 'PUT', token: await token('ops-1', ['admin'], 'platform'), headers: JSON_HEADERS, body: '{"teamLeadId":null}' }), 200);
    await problem(await set('trader-3', { priority: 1 }), 404, 'not-found');
    await problem(await host.call('/api/v1/teamlead/traders/trader-3/stats', { token: lead }), 404, 'not-found');
    await problem(await host.call('/api/v1/teamlead/traders', { token: await token('trader-1', ['teamlead']) }), 403, 'teamlead-inactive');
    await json(await set('trader-2', { priority: 1 }), 200);

    const order = await createOrder('payins', 'demo-a-key', 'staff-payin-1', '1000.00');
    const assigned = await json<{ items: { id: string; traderId?: string }[] }>(await host.call('/api/v1/support/orders?status=assigned', { token: await token('sup-1', ['support']) }), 200);
    const traderId = assigned.items.find((o) => o.id === order.id)?.traderId;
    assert.ok(traderId, 'support sees which trader has the order');
    // Only team-one traders (trader-1, trader-2) take RUB card orders in the demo data.
    assert.ok(traderId === 'trader-1' || traderId === 'trader-2', traderId);
    const stats = await json<{ ordersByStatus: Record<string, number>; tenantId?: string }>(await host.call(`/api/v1/teamlead/traders/${traderId}/stats`, { token: lead }), 200);
    assert.ok((stats.ordersByStatus['assigned'] ?? 0) >= 1);
    assert.equal(stats.tenantId, 'demo-a');
  });

  it("should page support's order list within the caller's tenant", async () => {
    await createOrder('payins', 'demo-a-key', 'staff-payin-2', '1100.00');
    await createOrder('payins', 'demo-b-key', 'staff-payin-b', '1200.00');
    const support = await token('sup-1', ['support']);
    const ids: string[] = [];
    let next: string | undefined;
    let pages = 0;
    do {
      const page = await json<{ items: { id: string; tenantId: string }[]; continuation?: string }>(
        await host.call(`/api/v1/support/orders?limit=1${next ? `&continuation=${next}` : ''}`, { token: support }),
        200,
      );
      assert.ok(page.items.every((o) => o.tenantId === 'demo-a'), 'only the caller tenant');
      ids.push(...page.items.map((o) => o.id));
      next = page.continuation;
      pages += 1;
    } while (next && pages < 20);
    assert.ok(ids.length >= 2 && pages >= 2, `${ids.length} orders over ${pages} pages`);
    assert.equal(new Set(ids).size, ids.length);
    const everyone = await json<{ items: { tenantId: string }[] }>(await host.call('/api/v1/support/orders?limit=200', { token: await token('sup-0', ['support'], 'platform') }), 200);
    assert.ok(everyone.items.some((o) => o.tenantId === 'demo-b'));
    await problem(await host.call('/api/v1/support/orders?status=bogus', { token: support }), 400, 'validation-failed');
    await problem(await host.call('/api/v1/support/orders?continuation=bm90LWpzb24', { token: support }), 400, 'invalid-continuation');
    await problem(await host.call('/api/v1/support/orders', { token: await token('trader-1', ['trader']) }), 403, 'forbidden');
  });

  it('should require a receipt for a trader confirming a pay-out, store it in Blob and record it on the order', async () => {
    const payout = await createOrder('payouts', 'demo-b-key', 'staff-payout-1', '500.00');
    const support = await token('sup-b', ['support'], 'demo-b');
    const listed = await json<{ items: { id: string; traderId?: string }[] }>(await host.call('/api/v1/support/orders?status=assigned', { token: support }), 200);
    const traderId = listed.items.find((o) => o.id === payout.id)?.traderId;
    assert.ok(traderId);
    const trader = await token(traderId, ['trader']);
    const confirm = (init: RequestInit & { token?: string }) => host.call(`/api/v1/trader/orders/${payout.id}/confirm`, { method: 'POST', ...init });

    await problem(await confirm({ token: trader }), 400, 'receipt-required');
    await problem(await confirm({ token: trader, headers: JSON_HEADERS, body: '{"reason":"paid"}' }), 400, 'receipt-required');
    await problem(await confirm({ token: trader, body: receiptForm(Buffer.from('not a receipt')) }), 415, 'unsupported-media-type');
    await problem(await confirm({ token: await token('trader-x', ['trader']), body: receiptForm(PDF) }), 403, 'trader-inactive');

    const done = await json<{ status: string; receipts?: { blobName: string; contentType: string }[] }>(await confirm({ token: trader, body: receiptForm(PDF) }), 200);
    assert.equal(done.status, 'awaiting_confirmation');
    const blobName = done.receipts?.[0]?.blobName ?? '';
    assert.match(blobName, new RegExp(`^demo-b/${payout.id}/receipt-[0-9a-f-]+\\.pdf$`));
    const container = BlobServiceClient.fromConnectionString(host.settings.AzureWebJobsStorage ?? '').getContainerClient(BLOB_CONTAINERS.receipts);
    assert.deepEqual(await container.getBlockBlobClient(blobName).downloadToBuffer(), PDF);
    const again = await problem(await confirm({ token: trader, body: receiptForm(PDF) }), 409, 'illegal-transition');
    assert.equal(again.currentStatus, 'awaiting_confirmation');

    // Another merchant's support cannot reach it (demo-a staff act on demo-a's orders only).
    const otherSupport = await token('sup-a', ['support'], 'demo-a');
    await problem(await host.call(`/api/v1/support/orders/${payout.id}/dispute`, { method: 'POST', token: otherSupport }), 404, 'not-found');

    // The merchant confirms the transfer arrived: completed (another merchant cannot see it).
    const merchantConfirm = (apiKey: string) => host.call(`/api/v1/payouts/${payout.id}/confirm`, { method: 'POST', apiKey });
    await problem(await merchantConfirm('demo-a-key'), 404, 'not-found');
    assert.equal((await json<{ status: string }>(await merchantConfirm('demo-b-key'), 200)).status, 'completed');
  });

  it('should accept an optional receipt with a pay-in confirmation by the merchant', async () => {
    const payin = await createOrder('payins', 'demo-a-key', 'staff-payin-3', '1300.00');
    const res = await host.call(`/api/v1/payins/${payin.id}/confirm`, { method: 'POST', apiKey: 'demo-a-key', body: receiptForm(PDF) });
    const view = await json<{ status: string; receipts?: { role: string }[] }>(res, 200);
    assert.equal(view.status, 'awaiting_confirmation');
    assert.deepEqual(view.receipts?.map((r) => r.role), ['merchant']);
    const plain = await createOrder('payins', 'demo-a-key', 'staff-payin-4', '1400.00');
    const without = await json<{ status: string; receipts?: unknown }>(await host.call(`/api/v1/payins/${plain.id}/confirm`, { method: 'POST', apiKey: 'demo-a-key' }), 200);
    assert.deepEqual([without.status, without.receipts], ['awaiting_confirmation', undefined]);
    await problem(await host.call(`/api/v1/payins/${plain.id}/confirm`, { method: 'POST', apiKey: 'demo-b-key' }), 404, 'not-found');
  });
});
