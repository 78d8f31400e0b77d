import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startHost, type StartedHost } from '../../../runtime/index';
import { memoryHostLog } from '../../../runtime/host-log';
import { defaultExtensions, readHostJson } from '../../../runtime/host';
import { httpExtension, ROUTE_PREFIX_SETTING } from '../../../runtime/triggers/http';
import { fixtureEvents } from '../fixtures/fixture-events';
import { fixture, tempAppDir } from '../local-storage';

describe('http trigger', () => {
  let host: StartedHost;
  const log = memoryHostLog();

  before(async () => {
    const appDir = tempAppDir({ 'host.json': { version: '2.0', extensions: { http: { routePrefix: 'api' } } } });
    host = await startHost({ appDir, main: fixture('http-app'), port: 0, extensions: [httpExtension()], log });
  });
  after(() => host.stop());

  it('should answer with route params, query, JSON body, custom status, header and cookie', async () => {
    const response = await fetch(`${host.origin}/api/items/42/blue?q=find`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ hello: 'world' }),
    });
    assert.equal(response.status, 201);
    assert.equal(response.headers.get('x-fixture'), 'echo');
    assert.match(response.headers.get('set-cookie') ?? '', /^seen=yes;.*HttpOnly/);
    assert.deepEqual(await response.json(), { id: '42', label: 'blue', q: 'find', body: { hello: 'world' } });
  });

  it('should treat {label?} as optional and enforce the int constraint', async () => {
    const ok = await fetch(`${host.origin}/api/items/7`);
    assert.deepEqual(await ok.json(), { id: '7', label: null, q: null, body: null });
    const notInt = await fetch(`${host.origin}/api/items/abc`);
    assert.equal(notInt.status, 404);
  });

  it('should prefer a literal route over a parameterised one', async () => {
    const response = await fetch(`${host.origin}/api/ITEMS/special`);
    assert.equal(await response.text(), 'special');
  });

  it('should pass a catch-all parameter and use the function name as default route', async () => {
    const files = await fetch(`${host.origin}/api/files/a/b/c.txt`);
    assert.deepEqual(await files.json(), { path: 'a/b/c.txt' });
    const byName = await fetch(`${host.origin}/api/defaultRoute`);
    assert.equal(await byName.text(), 'default route');
  });

  it('should answer 404 problem JSON for an unknown route or a method the function does not accept', async () => {
    const unknown = await fetch(`${host.origin}/api/nothing-here`);
    assert.equal(unknown.status, 404);
    assert.equal(unknown.headers.get('content-type'), 'application/problem+json');
    assert.equal(((await unknown.json()) as { status: number }).status, 404);
    const wrongMethod = await fetch(`${host.origin}/api/items/special`, { method: 'DELETE' });
    assert.equal(wrongMethod.status, 404);
  });

  it('should answer 500 when the handler throws and log the failure', async () => {
    const response = await fetch(`${host.origin}/api/boom`, { headers: { 'x-correlation-id': 'corr-boom' } });
    assert.equal(response.status, 500);
    const entry = log.invocations.find((invocation) => invocation.correlationId === 'corr-boom');
    assert.equal(entry?.outcome, 'Failed');
    assert.equal(entry?.error, 'boom');
    assert.equal(entry?.trigger, 'httpTrigger');
  });

  it('should run preInvocation and postInvocation hooks sharing hookData', async () => {
    await fetch(`${host.origin}/api/items/special`);
    assert.ok(fixtureEvents('preInvocation').some((event) => event.functionName === 'specialItem'));
    const post = fixtureEvents('postInvocation').find((event) => event.functionName === 'specialItem');
    assert.equal(post?.hookData, 'preInvocation');
  });

  it('should reject a body over the limit with 413', async () => {
    const small = await startHost({
      appDir: tempAppDir(),
      main: fixture('http-app'),
      port: 0,
      extensions: [httpExtension({ maxRequestBodySize: 10 })],
      log: memoryHostLog(),
    });
    try {
      const response = await fetch(`${small.origin}/api/items/1`, { method: 'POST', body: JSON.stringify({ much: 'too long' }) });
      assert.equal(response.status, 413);
    } finally {
      await small.stop();
    }
  });

  describe('route prefix', () => {
    /** The HTTP extension as the host builds it from the app's own host.json. */
    const fromHostJson = (appDir: string) => defaultExtensions(readHostJson(appDir)).filter((e) => e.name === 'http');
    const status = async (origin: string, path: string) => (await fetch(`${origin}${path}`)).status;

    it('should serve routes at the root when host.json sets routePrefix ""', async () => {
      const appDir = tempAppDir({ 'host.json': { version: '2.0', extensions: { http: { routePrefix: '' } } } });
      const bare = await startHost({ appDir, main: fixture('http-app'), port: 0, extensions: fromHostJson(appDir), log: memoryHostLog() });
      try {
        assert.equal(await status(bare.origin, '/items/special'), 200);
        assert.equal(await status(bare.origin, '/api/items/special'), 404);
      } finally {
        await bare.stop();
      }
    });

    it('should use host.json routePrefix, and the app setting over it', async () => {
      const appDir = tempAppDir({ 'host.json': { version: '2.0', extensions: { http: { routePrefix: 'v2' } } } });
      const custom = await startHost({ appDir, main: fixture('http-app'), port: 0, extensions: fromHostJson(appDir), log: memoryHostLog() });
      const overridden = await startHost({
        appDir, main: fixture('http-app'), port: 0, extensions: fromHostJson(appDir), settings: { [ROUTE_PREFIX_SETTING]: 'edge' }, log: memoryHostLog(),
      });
      try {
        assert.equal(await status(custom.origin, '/v2/items/special'), 200);
        assert.equal(await status(custom.origin, '/api/items/special'), 404);
        assert.equal(await status(overridden.origin, '/edge/items/special'), 200);
        assert.equal(await status(overridden.origin, '/v2/items/special'), 404);
      } finally {
        await Promise.all([custom.stop(), overridden.stop()]);
      }
    });
  });
});
