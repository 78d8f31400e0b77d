/**
 * The OpenAPI contract: the document the app serves is valid OpenAPI 3.1, names every HTTP
 * function the app registers (as the real `@azure/functions` registry on the local runtime
 * reports them) and nothing else, and real responses validate against it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { validate } from '@readme/openapi-parser';
import { FUNCTIONS } from '../../../shared/names';
import { type E2eHost, startE2eHost } from '../../support/e2e-host';
import { nonConformingResponses } from '../../support/openapi-conformance';
import { recordedResponses, recordResponse } from '../../support/openapi-responses';

type Json = Record<string, unknown>;

describe('OpenAPI document (e2e)', () => {
  let host: E2eHost;
  let doc: Json;
  before(async () => {
    host = await startE2eHost();
    const response = await host.call('/api/openapi.json');
    assert.equal(response.status, 200);
    doc = (await response.json()) as Json;
  });
  after(async () => host.stop());

  it('should be a valid OpenAPI 3.1 document', async () => {
    assert.equal(doc.openapi, '3.1.0');
    const result = await validate(structuredClone(doc) as never);
    assert.equal(result.valid, true, JSON.stringify((result as { errors?: unknown }).errors ?? result).slice(0, 2000));
  });

  it('should document every registered HTTP function, and only those', () => {
    const registered = host.started.host.context.functionsWithTrigger('httpTrigger').flatMap((fn) =>
      // host.json routePrefix is "": the route is the URL path (`{x?}` and `{*x}` are path parameters `{x}`).
      ((fn.trigger.methods as string[] | undefined) ?? ['GET']).map((m) => ({ name: fn.name, method: m.toLowerCase(), path: `/${String(fn.trigger.route)}`.replace(/\{\*?(\w+)\??\}/g, '{$1}') })),
    );
    assert.ok(registered.length > 40, `found only ${registered.length} registrations`);
    const outsideApi = registered.filter((r) => !r.path.startsWith('/api/') && r.name !== FUNCTIONS.capturePage);
    assert.deepEqual(outsideApi, [], "routes not under /api: register them with `route: apiRoute('v1/...')` (shared/http/api-route.ts)");
    const paths = doc.paths as Record<string, Record<string, { 'x-function': string }>>;
    const missing = registered.filter((r) => paths[r.path]?.[r.method]?.['x-function'] !== r.name);
    assert.deepEqual(missing, [], 'registered routes missing from /api/openapi.json (see README "Documenting a route")');
    const documented = Object.entries(paths).flatMap(([path, item]) => Object.entries(item).map(([method, op]) => `${op['x-function']} ${method} ${path}`));
    const stale = documented.filter((d) => !registered.some((r) => `${r.name} ${r.method} ${r.path}` === d));
    assert.deepEqual(stale, [], 'documented routes that the app does not register');
  });

  it('should give every operation its auth scheme, problem+json errors with their types, and examples', () => {
    const schemes = Object.keys((doc.components as { securitySchemes: Json }).securitySchemes);
    assert.deepEqual(schemes.sort(), ['apiKey', 'bearer', 'payerToken', 'sessionToken']);
    for (const [path, item] of Object.entries(doc.paths as Record<string, Record<string, Json>>)) {
      for (const [method, op] of Object.entries(item)) {
        const where = `${method} ${path}`;
        assert.ok(Array.isArray(op.security) && op.security.length > 0, `${where}: security`);
        const responses = op.responses as Record<string, { content?: Record<string, { schema: Json; examples?: Json }> }>;
        const problem = responses['500']?.content?.['application/problem+json'];
        assert.ok(problem?.examples && 'internal' in problem.examples, `${where}: 500 internal problem`);
        if (!path.startsWith('/api/docs') && !(op.security as Json[]).some((s) => Object.keys(s).length === 0)) {
          assert.ok(responses['401'], `${where}: 401 documented`);
        }
      }
    }
    const verification = (doc.components as { schemas: Record<string, Json> }).schemas.Verification;
    assert.ok(verification?.example, 'named schemas carry examples');
  });

  it('should match what the app really answers', async () => {
    const admin = await host.adminToken('demo-a');
    const platform = await host.adminToken('platform');
    const json = { 'content-type': 'application/json' };
    const calls: [string, RequestInit & { apiKey?: string; token?: string }][] = [
      ['/api/health', {}],
      ['/api/openapi.json', {}],
      ['/api/docs', {}],
      ['/api/docs/init.js', {}],
      ['/api/docs/nothing.js', {}],
      ['/api/v1/verifications/does-not-exist', { apiKey: 'demo-a-key' }],
      ['/api/v1/verifications/whatever', {}],
      ['/api/v1/verifications', { method: 'POST', apiKey: 'demo-a-key', headers: json, body: '{}' }],
      ['/api/v1/payins', { method: 'POST', apiKey: 'demo-a-key', headers: { ...json, 'idempotency-key': 'oa-1' }, body: JSON.stringify({ amount: '500.00', currency: 'RUB', method: 'card', customerRef: 'oa' }) }],
      ['/api/v1/payins', { method: 'POST', apiKey: 'demo-a-key', headers: { ...json, 'idempotency-key': 'oa-2' }, body: '{"amount": 5' }],
      ['/api/v1/payins', { method: 'POST', apiKey: 'demo-a-key', headers: { ...json, 'idempotency-key': 'oa-3' }, body: JSON.stringify({ amount: 'lots' }) }],
      ['/api/v1/webhooks/endpoints', { token: admin }],
      ['/api/v1/webhooks/endpoints', { method: 'POST', token: admin, headers: json, body: JSON.stringify({ url: 'https://10.0.0.1/' }) }],
      ['/api/v1/webhooks/deliveries?limit=5', { token: admin }],
      ['/api/v1/webhooks/deliveries?limit=9999', { token: admin }],
      ['/api/v1/webhooks/deliveries/dlv_nope', { token: admin }],
      ['/api/v1/audit?limit=2', { token: admin }],
      ['/api/v1/admin/settings/kyc', { token: platform }],
      ['/api/v1/admin/settings/kyc', { token: admin }],
      ['/api/v1/support/orders?limit=2', { token: platform }],
      ['/api/v1/admin/users?limit=2', { token: platform }],
      ['/api/v1/privacy/erasures/00000000-0000-4000-8000-000000000000', { apiKey: 'demo-a-key' }],
      ['/api/v1/review/verifications?limit=2', { token: platform }],
      ['/api/v1/review/verifications/nope', { token: platform }],
      ['/api/v1/review/verifications/nope/decision', { method: 'POST', token: platform, headers: json, body: JSON.stringify({ outcome: 'maybe' }) }],
      ['/api/v1/admin/tenants', { token: platform }],
      ['/api/v1/admin/tenants/no-such-tenant', { token: platform }],
      ['/api/v1/admin/tenants/demo-a/api-keys', { token: platform }],
      ['/api/v1/admin/tenants', { token: admin }],
      ['/api/v1/tenant/settings/kyc-policy', { token: admin }],
      ['/api/v1/tenant/settings/kyc-policy', { method: 'PUT', token: admin, headers: json, body: JSON.stringify({ requireVideoChallenge: 'yes' }) }],
      ['/api/v1/verifications/challenges', { method: 'POST', apiKey: 'demo-a-key' }],
      ['/api/v1/support/orders/nope/review', { method: 'POST', token: platform, headers: json, body: JSON.stringify({ decision: 'approve' }) }],
    ];
    for (const [route, init] of calls) {
      const response = await host.call(route, init);
      const body = await response.text();
      recordResponse({ method: init.method ?? 'GET', route, status: response.status, contentType: response.headers.get('content-type'), body });
    }
    const created = recordedResponses().find((r) => r.route === '/api/v1/payins' && r.status === 201);
    assert.ok(created, 'the pay-in was created');
    const id = (JSON.parse(created.body) as { id: string }).id;
    const got = await host.call(`/api/v1/payins/${id}`, { apiKey: 'demo-a-key' });
    recordResponse({ method: 'GET', route: `/api/v1/payins/${id}`, status: got.status, contentType: got.headers.get('content-type'), body: await got.text() });
    assert.deepEqual(nonConformingResponses(doc, recordedResponses()), []);
  });
});
