import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { z } from 'zod';
import { createAuthenticator } from '../../../../shared/auth/authenticate';
import { issueApiKey } from '../../../../shared/auth/api-key';
import { createJwtVerifier } from '../../../../shared/auth/jwt';
import { signLocalToken } from '../../../../shared/auth/local-token';
import { requireRoles } from '../../../../shared/auth/principal';
import { CosmosTenantStore } from '../../../../shared/auth/tenant-store';
import { DomainError, problemType } from '../../../../shared/errors';
import { httpHandler } from '../../../../shared/http/handler';
import { CosmosFixedWindowRateLimiter } from '../../../../shared/http/rate-limit';
import { ok } from '../../../../shared/http/respond';
import { ManualClock } from '../../../../shared/platform/clock';
import { type CosmosFixture, openCosmos } from './cosmos-fixture';
import { contextWithLog, request, responseParts } from './request-fixture';

const PEPPER = 'pepper-for-tests-0123456789';
const jwtConfig = { mode: 'local' as const, jwtIssuer: 'vouch-local', jwtAudience: 'vouch-api', localJwtSecret: 'x'.repeat(40) };
const token = (roles: ('trader' | 'admin')[]) =>
  signLocalToken({ secret: jwtConfig.localJwtSecret, issuer: 'vouch-local', audience: 'vouch-api', subject: 'u1', tenantId: 'acme', roles });

describe('httpHandler', () => {
  let cosmos: CosmosFixture;
  let apiKey: string;
  let authenticate: ReturnType<typeof createAuthenticator>;
  let limiter: CosmosFixedWindowRateLimiter;

  before(async () => {
    cosmos = await openCosmos();
    const tenants = new CosmosTenantStore(await cosmos.container('tenants'));
    const issued = issueApiKey({ id: 'acme', tenantId: 'acme', name: 'Acme', status: 'active', apiKeys: [] }, PEPPER, new Date());
    await tenants.put(issued.tenant);
    apiKey = issued.apiKey;
    authenticate = createAuthenticator({ tenants, verifyJwt: createJwtVerifier(jwtConfig), apiKeyPepper: PEPPER });
    limiter = new CosmosFixedWindowRateLimiter(await cosmos.container('rate-limits'), { limit: 2, windowS: 60 }, new ManualClock(new Date('2026-01-01T00:00:10Z')));
  });
  after(() => cosmos.close());

  const Body = z.object({ amount: z.number().positive(), currency: z.string().length(3) });

  it('should echo a given x-correlation-id on success and pass it to the handler', async () => {
    const handler = httpHandler({ auth: 'anonymous' }, async (call) => ok({ seen: call.correlationId, principal: call.principal }));
    const { context } = contextWithLog();
    const res = await responseParts(await handler(request({ headers: { 'x-correlation-id': 'abc-123' } }), context));
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('x-correlation-id'), 'abc-123');
    assert.deepEqual(res.json, { seen: 'abc-123', principal: null });
  });

  it('should take the trace id from traceparent, and make one up otherwise', async () => {
    const handler = httpHandler({ auth: 'anonymous' }, async () => ok({}));
    const traced = await responseParts(
      await handler(request({ headers: { traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' } }), contextWithLog().context),
    );
    assert.equal(traced.headers.get('x-correlation-id'), '4bf92f3577b34da6a3ce929d0e0e4736');
    const fresh = await responseParts(await handler(request({ headers: { 'x-correlation-id': 'bad id <script>' } }), contextWithLog().context));
    assert.match(fresh.headers.get('x-correlation-id') ?? '', /^[0-9a-f-]{36}$/);
  });

  it('should answer a validation failure with problem+json naming each field', async () => {
    const handler = httpHandler({ auth: 'anonymous' }, async (call) => ok(await call.body(Body)));
    const res = await responseParts(
      await handler(
        request({ method: 'POST', path: '/api/orders', headers: { 'content-type': 'application/json', 'x-correlation-id': 'c1' }, body: '{"amount":-5}' }),
        contextWithLog().context,
      ),
    );
    assert.equal(res.status, 400);
    assert.equal(res.headers.get('content-type'), 'application/problem+json');
    assert.equal(res.headers.get('x-correlation-id'), 'c1');
    assert.equal(res.json?.type, problemType('validation-failed'));
    assert.equal(res.json?.title, 'Bad Request');
    assert.equal(res.json?.instance, '/api/orders');
    assert.equal(res.json?.correlationId, 'c1');
    const errors = res.json?.errors as { path: string; message: string }[];
    assert.deepEqual(errors.map((e) => e.path).sort(), ['amount', 'currency']);
  });

  it('should pass valid bodies, query and params through typed', async () => {
    const handler = httpHandler({ auth: 'anonymous' }, async (call) =>
      ok({ body: await call.body(Body), q: call.query(z.object({ page: z.coerce.number() })), p: call.params(z.object({ id: z.uuid() })) }),
    );
    const id = '6f1c8a38-58b4-4c1e-9a0e-3c4f5d6e7f80';
    const res = await responseParts(
      await handler(
        request({ method: 'POST', path: '/api/x?page=2', params: { id }, headers: { 'content-type': 'application/json' }, body: '{"amount":5,"currency":"EUR"}' }),
        contextWithLog().context,
      ),
    );
    assert.deepEqual(res.json, { body: { amount: 5, currency: 'EUR' }, q: { page: 2 }, p: { id } });
  });

  it('should let a handler read the body both as JSON and as bytes', async () => {
    const handler = httpHandler({ auth: 'anonymous' }, async (call) => ok({ parsed: await call.body(Body), length: (await call.bytes()).length }));
    const body = '{"amount":5,"currency":"EUR"}';
    const res = await responseParts(await handler(request({ method: 'POST', headers: { 'content-type': 'application/json' }, body }), contextWithLog().context));
    assert.deepEqual(res.json, { parsed: { amount: 5, currency: 'EUR' }, length: body.length });
  });

  it('should answer malformed JSON with 400 malformed-json and a wrong content type with 415', async () => {
    const handler = httpHandler({ auth: 'anonymous' }, async (call) => ok(await call.body(Body)));
    const bad = await responseParts(await handler(request({ method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"amount":' }), contextWithLog().context));
    assert.equal(bad.json?.type, problemType('malformed-json'));
    const text = await responseParts(await handler(request({ method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{}' }), contextWithLog().context));
    assert.equal(text.status, 415);
  });

  it('should hide an unexpected error behind a generic 500 and log its stack', async () => {
    const handler = httpHandler({ auth: 'anonymous' }, async () => {
      throw new Error('db password=hunter2 leaked');
    });
    const { context, lines } = contextWithLog();
    const res = await responseParts(await handler(request(), context));
    assert.equal(res.status, 500);
    assert.equal(res.json?.type, problemType('internal'));
    assert.doesNotMatch(res.text, /hunter2|at .*\.js|stack/);
    const logged = JSON.stringify(lines);
    assert.match(logged, /hunter2/);
    assert.match(logged, /handler\.test\.js/);
  });

  it('should show an exposed DomainError with its code, status and details', async () => {
    const handler = httpHandler({ auth: 'anonymous' }, async () => {
      throw new DomainError('order-not-cancellable', 'Order is already paid', 409, { currentStatus: 'paid' });
    });
    const res = await responseParts(await handler(request(), contextWithLog().context));
    assert.equal(res.status, 409);
    assert.deepEqual(
      { type: res.json?.type, detail: res.json?.detail, currentStatus: res.json?.currentStatus },
      { type: problemType('order-not-cancellable'), detail: 'Order is already paid', currentStatus: 'paid' },
    );
  });

  it('should reject an oversize body by Content-Length before running the handler', async () => {
    let ran = false;
    const handler = httpHandler({ auth: 'anonymous', maxBodyBytes: 100 }, async () => {
      ran = true;
      return ok({});
    });
    const res = await responseParts(
      await handler(request({ method: 'POST', headers: { 'content-type': 'application/json', 'content-length': '5000' }, body: '{}' }), contextWithLog().context),
    );
    assert.equal(res.status, 413);
    assert.equal(res.json?.type, problemType('payload-too-large'));
    assert.equal(ran, false);
  });

  it('should reject an oversize body while reading when Content-Length is absent', async () => {
    const handler = httpHandler({ auth: 'anonymous', maxBodyBytes: 1000 }, async (call) => ok(await call.body(z.unknown())));
    const body = JSON.stringify({ blob: 'x'.repeat(5000) });
    const res = await responseParts(await handler(request({ method: 'POST', headers: { 'content-type': 'application/json' }, body }), contextWithLog().context));
    assert.equal(res.status, 413);
  });

  it('should refuse a 100 KB JSON body with 413 under the default MAX_JSON_BODY_BYTES (64 KiB)', async () => {
    const saved = process.env.MAX_JSON_BODY_BYTES;
    delete process.env.MAX_JSON_BODY_BYTES;
    try {
      const handler = httpHandler({ auth: 'anonymous' }, async (call) => ok(await call.body(z.unknown())));
      const body = JSON.stringify({ blob: 'x'.repeat(100 * 1024) });
      const res = await responseParts(await handler(request({ method: 'POST', headers: { 'content-type': 'application/json' }, body }), contextWithLog().context));
      assert.equal(res.status, 413);
      assert.equal(res.json?.type, problemType('payload-too-large'));
      assert.equal(res.json?.maxBytes, 64 * 1024);
    } finally {
      if (saved !== undefined) process.env.MAX_JSON_BODY_BYTES = saved;
    }
  });

  it('should hold a JSON body to MAX_JSON_BODY_BYTES even on a route that accepts larger bodies', async () => {
    const saved = process.env.MAX_JSON_BODY_BYTES;
    process.env.MAX_JSON_BODY_BYTES = '2048';
    try {
      const handler = httpHandler({ auth: 'anonymous', maxBodyBytes: 10 * 1024 * 1024 }, async (call) => ok(await call.body(z.unknown())));
      const big = JSON.stringify({ blob: 'x'.repeat(4096) });
      const res = await responseParts(await handler(request({ method: 'POST', headers: { 'content-type': 'application/json' }, body: big }), contextWithLog().context));
      assert.equal(res.status, 413);
      const small = await responseParts(await handler(request({ method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a":1}' }), contextWithLog().context));
      assert.equal(small.status, 200);
    } finally {
      if (saved === undefined) delete process.env.MAX_JSON_BODY_BYTES;
      else process.env.MAX_JSON_BODY_BYTES = saved;
    }
  });

  it('should give the handler the API-key principal, and 401 without credentials', async () => {
    const handler = httpHandler({ auth: (r) => authenticate(r) }, async (call) => ok(call.principal));
    const res = await responseParts(await handler(request({ headers: { 'x-api-key': apiKey } }), contextWithLog().context));
    assert.equal(res.status, 200);
    assert.equal(res.json?.kind, 'apiKey');
    assert.equal(res.json?.tenantId, 'acme');
    const none = await responseParts(await handler(request(), contextWithLog().context));
    assert.equal(none.status, 401);
    assert.equal(none.json?.type, problemType('unauthorized'));
    assert.match(none.headers.get('www-authenticate') ?? '', /^Bearer/);
  });

  it('should answer 403 when a user lacks the role, and accept one who has it', async () => {
    const handler = httpHandler({ auth: authenticate, roles: ['admin'] }, async (call) => {
      requireRoles(call.principal, 'admin');
      return ok({ ok: true });
    });
    const denied = await responseParts(await handler(request({ headers: { authorization: `Bearer ${await token(['trader'])}` } }), contextWithLog().context));
    assert.equal(denied.status, 403);
    assert.equal(denied.json?.type, problemType('forbidden'));
    const allowed = await responseParts(await handler(request({ headers: { authorization: `Bearer ${await token(['admin'])}` } }), contextWithLog().context));
    assert.equal(allowed.status, 200);
    const byKey = await responseParts(await handler(request({ headers: { 'x-api-key': apiKey } }), contextWithLog().context));
    assert.equal(byKey.status, 403);
  });

  it('should refuse principal kinds the endpoint does not accept', async () => {
    const handler = httpHandler({ auth: authenticate, accept: ['user'] }, async () => ok({}));
    const res = await responseParts(await handler(request({ headers: { 'x-api-key': apiKey } }), contextWithLog().context));
    assert.equal(res.status, 403);
  });

  it('should answer 429 with Retry-After once the tenant exhausts its window', async () => {
    const handler = httpHandler({ auth: authenticate, rateLimit: { limiter } }, async () => ok({}));
    const statuses: number[] = [];
    let last;
    for (let i = 0; i < 3; i++) {
      last = await responseParts(await handler(request({ headers: { 'x-api-key': apiKey } }), contextWithLog('createOrder').context));
      statuses.push(last.status);
    }
    assert.deepEqual(statuses, [200, 200, 429]);
    assert.equal(last?.headers.get('retry-after'), '50');
    assert.equal(last?.json?.type, problemType('rate-limited'));
  });
});
