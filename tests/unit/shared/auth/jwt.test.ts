import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { DomainError } from '../../../../shared/errors';
import { createJwtVerifier } from '../../../../shared/auth/jwt';
import { signLocalToken } from '../../../../shared/auth/local-token';

const local = { mode: 'local' as const, jwtIssuer: 'vouch-local', jwtAudience: 'vouch-api', localJwtSecret: 's'.repeat(40) };
const sign = (over: Partial<Parameters<typeof signLocalToken>[0]> = {}) =>
  signLocalToken({ secret: local.localJwtSecret, issuer: 'vouch-local', audience: 'vouch-api', subject: 'u1', tenantId: 'acme', roles: ['trader'], ...over });

async function rejects401(p: Promise<unknown>, message?: RegExp) {
  await assert.rejects(p, (e: unknown) => e instanceof DomainError && e.status === 401 && (!message || message.test(e.message)));
}

describe('createJwtVerifier (local mode)', () => {
  const verify = createJwtVerifier(local);

  it('should return the user principal of a valid token', async () => {
    assert.deepEqual(await verify(await sign({ roles: ['trader', 'admin'] })), {
      kind: 'user', tenantId: 'acme', subject: 'u1', roles: ['trader', 'admin'],
    });
  });

  it('should reject an expired token with a clear message', async () => {
    await rejects401(verify(await sign({ now: new Date(Date.now() - 7200_000), expiresInS: 60 })), /expired/);
  });

  it('should reject a wrong issuer, a wrong audience and a wrong secret', async () => {
    await rejects401(verify(await sign({ issuer: 'someone-else' })));
    await rejects401(verify(await sign({ audience: 'other-api' })));
    await rejects401(verify(await sign({ secret: 'z'.repeat(40) })));
    await rejects401(verify('not.a.jwt'));
  });

  it('should reject a token without the tenant claim and drop unknown roles', async () => {
    const key = new TextEncoder().encode(local.localJwtSecret);
    const noTenant = await new SignJWT({ roles: ['trader'] }).setProtectedHeader({ alg: 'HS256' }).setSubject('u1')
      .setIssuer('vouch-local').setAudience('vouch-api').setExpirationTime('1h').sign(key);
    await rejects401(verify(noTenant), /claims/);
    const extra = await new SignJWT({ tenant: 'acme', roles: ['trader', 'superuser'] }).setProtectedHeader({ alg: 'HS256' })
      .setSubject('u1').setIssuer('vouch-local').setAudience('vouch-api').setExpirationTime('1h').sign(key);
    assert.deepEqual((await verify(extra)).roles, ['trader']);
  });

  it('should refuse a token without exp (it would never expire)', async () => {
    const key = new TextEncoder().encode(local.localJwtSecret);
    const forever = await new SignJWT({ tenant: 'acme', roles: ['admin'] }).setProtectedHeader({ alg: 'HS256' }).setSubject('u1')
      .setIssuer('vouch-local').setAudience('vouch-api').setIssuedAt().sign(key);
    await rejects401(verify(forever), /Invalid token/);
  });

  it('should map the tenant and roles from the claims the settings name', async () => {
    const key = new TextEncoder().encode(local.localJwtSecret);
    const mapped = createJwtVerifier({ ...local, tenantClaim: 'https://vouch.example/tenant', rolesClaim: 'realm_access.roles' });
    const token = await new SignJWT({ 'https://vouch.example/tenant': 'platform', realm_access: { roles: ['admin', 'offline_access'] } })
      .setProtectedHeader({ alg: 'HS256' }).setSubject('u1').setIssuer('vouch-local').setAudience('vouch-api').setExpirationTime('1h').sign(key);
    assert.deepEqual(await mapped(token), { kind: 'user', tenantId: 'platform', subject: 'u1', roles: ['admin'] });
    const spaced = createJwtVerifier({ ...local, rolesClaim: 'vouch_roles' });
    const token2 = await new SignJWT({ tenant: 'acme', vouch_roles: 'support operator' })
      .setProtectedHeader({ alg: 'HS256' }).setSubject('u2').setIssuer('vouch-local').setAudience('vouch-api').setExpirationTime('1h').sign(key);
    assert.deepEqual((await spaced(await sign())).roles, [], 'the default roles claim is not read when another is named');
    assert.deepEqual((await spaced(token2)).roles, ['support', 'operator']);
  });
});

describe('createJwtVerifier (azure mode, JWKS)', () => {
  let server: http.Server;
  let privateKey: Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];
  let jwksUrl: string;

  before(async () => {
    const pair = await generateKeyPair('RS256');
    privateKey = pair.privateKey;
    const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
    server = http.createServer((_, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] })));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/keys`;
  });
  after(() => new Promise<void>((r) => server.close(() => r())));

  it('should verify against the JWKS and reject an HS256 token signed with a guessable secret', async () => {
    const verify = createJwtVerifier({ mode: 'azure', jwtIssuer: 'https://login.example/tenant/v2.0', jwtAudience: 'api://vouch', jwksUrl });
    const token = await new SignJWT({ tenant: 'acme', roles: ['support'] }).setProtectedHeader({ alg: 'RS256', kid: 'k1' })
      .setSubject('u9').setIssuer('https://login.example/tenant/v2.0').setAudience('api://vouch').setExpirationTime('5m').sign(privateKey);
    assert.deepEqual(await verify(token), { kind: 'user', tenantId: 'acme', subject: 'u9', roles: ['support'] });
    const hs = await new SignJWT({ tenant: 'acme', roles: ['admin'] }).setProtectedHeader({ alg: 'HS256' }).setSubject('u9')
      .setIssuer('https://login.example/tenant/v2.0').setAudience('api://vouch').setExpirationTime('5m').sign(new TextEncoder().encode('x'.repeat(40)));
    await rejects401(verify(hs));
  });
});
