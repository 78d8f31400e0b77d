/**
 * Tenant webhook endpoints and the delivery log through the real local runtime: a tenant admin
 * registers an endpoint, a pay-in's status changes reach it signed per Standard Webhooks (checked
 * with the published `standardwebhooks` library), the delivery is listed, read and resent, and a
 * rotated secret signs next to the old one.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { Webhook } from 'standardwebhooks';
import { type E2eHost, startE2eHost } from '../../support/e2e-host';
import { eventually } from '../../support/eventually';
import { nonConformingResponses } from '../../support/openapi-conformance';
import { recordedResponses, recordResponse } from '../../support/openapi-responses';

interface Received {
  headers: Record<string, string>;
  body: string;
}

/** A receiver on loopback (allowed in local mode) that keeps what it got. */
async function startReceiver(): Promise<{ url: string; received: Received[]; stop(): Promise<void> }> {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c)).on('end', () => {
      received.push({ headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)])), body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/vouch`,
    received,
    stop: () => {
      server.closeAllConnections();
      return new Promise<void>((r) => server.close(() => r()));
    },
  };
}

describe('webhook endpoints and delivery log (e2e)', () => {
  let host: E2eHost;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let admin: string;
  before(async () => {
    host = await startE2eHost();
    receiver = await startReceiver();
    admin = await host.adminToken('demo-a');
  });
  after(async () => {
    await receiver.stop();
    await host.stop();
  });

  /** A JSON call whose response is kept for the OpenAPI conformance test. */
  async function api(route: string, init: RequestInit & { token?: string; apiKey?: string } = {}) {
    const response = await host.call(route, { ...init, headers: { ...(init.body ? { 'content-type': 'application/json' } : {}), ...(init.headers as Record<string, string> | undefined) } });
    const text = await response.text();
    recordResponse({ method: init.method ?? 'GET', route, status: response.status, contentType: response.headers.get('content-type'), body: text });
    return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
  }

  it('should let a tenant admin register an endpoint, deliver signed events to it, list, show and resend them', async () => {
    const created = await api('/api/v1/webhooks/endpoints', {
      method: 'POST', token: admin, body: JSON.stringify({ url: receiver.url, eventTypes: ['order.status_changed'], description: 'e2e' }),
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const endpointId = String(created.body.id);
    const secret = String(created.body.secret);
    assert.match(secret, /^whsec_/);

    const listed = await api('/api/v1/webhooks/endpoints', { token: admin });
    assert.deepEqual((listed.body.items as { id: string; secret?: string }[]).map((e) => [e.id, e.secret]), [[endpointId, undefined]]);

    const payin = await api('/api/v1/payins', {
      method: 'POST', apiKey: 'demo-a-key', headers: { 'idempotency-key': 'wh-e2e-1' },
      body: JSON.stringify({ amount: '1000.00', currency: 'RUB', method: 'card', customerRef: 'wh-e2e' }),
    });
    assert.equal(payin.status, 201, JSON.stringify(payin.body));
    const first = await eventually(async () => receiver.received[0], 'the first webhook', { timeoutMs: 60_000 });
    const event = new Webhook(secret).verify(first.body, first.headers) as { type: string; data: { orderId?: string } };
    assert.equal(event.type, 'order.status_changed');
    assert.equal(first.headers['webhook-id'], JSON.parse(first.body).id);

    const deliveries = await eventually(async () => {
      const page = await api('/api/v1/webhooks/deliveries?status=delivered', { token: admin });
      const items = page.body.items as { id: string; endpointId: string; attempts: number; lastStatusCode: number; eventId: string }[];
      return items.find((d) => d.eventId === JSON.parse(first.body).id);
    }, 'the delivery in the log');
    assert.equal(deliveries.endpointId, endpointId);
    assert.equal(deliveries.attempts, 1);
    assert.equal(deliveries.lastStatusCode, 204);

    const detail = await api(`/api/v1/webhooks/deliveries/${deliveries.id}`, { token: admin });
    assert.equal(detail.status, 200);
    assert.equal((detail.body.attemptLog as unknown[]).length, 1);

    const rotated = await api(`/api/v1/webhooks/endpoints/${endpointId}/rotate-secret`, { method: 'POST', token: admin, body: JSON.stringify({ overlapMinutes: 60 }) });
    assert.equal(rotated.status, 200);
    const newSecret = String(rotated.body.secret);
    assert.notEqual(newSecret, secret);
    assert.equal((rotated.body.secrets as unknown[]).length, 2);

    const before = receiver.received.length;
    const resent = await api(`/api/v1/webhooks/deliveries/${deliveries.id}/resend`, { method: 'POST', token: admin });
    assert.equal(resent.status, 202);
    const again = await eventually(async () => receiver.received.slice(before).find((r) => r.headers['webhook-id'] === first.headers['webhook-id']), 'the resent webhook');
    assert.equal(again.headers['webhook-signature']?.split(' ').length, 2, 'signed with both secrets during the rotation');
    assert.ok(new Webhook(newSecret).verify(again.body, again.headers));
    assert.ok(new Webhook(secret).verify(again.body, again.headers));
    const afterResend = await eventually(async () => {
      const d = await api(`/api/v1/webhooks/deliveries/${deliveries.id}`, { token: admin });
      return d.body.status === 'delivered' && d.body.resends === 1 ? d : undefined;
    }, 'the resend logged');
    assert.deepEqual((afterResend.body.attemptLog as { attempt: number }[]).map((a) => a.attempt), [1, 2]);

    const patched = await api(`/api/v1/webhooks/endpoints/${endpointId}`, { method: 'PATCH', token: admin, body: JSON.stringify({ enabled: false }) });
    assert.equal(patched.body.enabled, false);
    assert.equal((await api(`/api/v1/webhooks/endpoints/${endpointId}`, { token: admin })).body.enabled, false);
    assert.equal((await api(`/api/v1/webhooks/endpoints/${endpointId}`, { method: 'DELETE', token: admin })).status, 204);
    assert.equal((await api(`/api/v1/webhooks/endpoints/${endpointId}`, { token: admin })).status, 404);
  });

  it('should refuse non-public URLs at registration with the same check as delivery', async () => {
    for (const url of ['https://169.254.169.254/latest', 'https://[fe9a::1]/', 'https://100.64.0.1/', 'https://168.63.129.16/', 'https://10.0.0.1/']) {
      const r = await api('/api/v1/webhooks/endpoints', { method: 'POST', token: admin, body: JSON.stringify({ url }) });
      assert.equal(r.status, 400, url);
      assert.equal(r.body.type, 'urn:vouch:problem:webhook-url-rejected');
    }
  });

  it('should keep endpoints to the tenant: other tenants\' admins, non-admins and API keys are refused', async () => {
    const created = await api('/api/v1/webhooks/endpoints', { method: 'POST', token: admin, body: JSON.stringify({ url: receiver.url }) });
    assert.equal(created.status, 201);
    const otherAdmin = await host.adminToken('demo-b');
    assert.deepEqual((await api('/api/v1/webhooks/endpoints', { token: otherAdmin })).body.items, []);
    assert.equal((await api(`/api/v1/webhooks/endpoints/${String(created.body.id)}`, { token: otherAdmin })).status, 404);
    assert.equal((await api('/api/v1/webhooks/endpoints?tenantId=demo-a', { token: otherAdmin })).status, 403);
    assert.equal((await api('/api/v1/webhooks/endpoints', { apiKey: 'demo-a-key' })).status, 403);
    const platform = await host.adminToken('platform');
    const seen = await api('/api/v1/webhooks/endpoints?tenantId=demo-a', { token: platform });
    assert.ok((seen.body.items as { id: string }[]).some((e) => e.id === created.body.id));
  });

  it('should have answered every call above as /api/openapi.json documents', async () => {
    const doc = (await (await host.call('/api/openapi.json')).json()) as Record<string, unknown>;
    assert.ok(recordedResponses().length > 20);
    assert.deepEqual(nonConformingResponses(doc, recordedResponses()), []);
  });
});
