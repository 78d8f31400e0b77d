/**
 * The audit trail end to end through the local runtime: a settings change as admin is in the
 * trail, readable by admin and operator of the same tenant only; traders and API keys are
 * refused (and the refusal is itself in the trail).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Role } from '../../../shared/auth';
import { signLocalToken } from '../../../shared/auth';
import type { AuditEntryView } from '../../../shared/audit/audit-entry';
import { type E2eHost, startE2eHost } from '../../support/e2e-host';

interface AuditAnswer {
  items: AuditEntryView[];
  continuationToken: string | null;
}

describe('audit trail end to end', () => {
  let app: E2eHost;
  let admin: string;

  const token = (roles: Role[], tenantId = 'demo-a', subject = `e2e-${roles.join('-')}`) =>
    signLocalToken({
      secret: app.settings['LOCAL_JWT_SECRET'] ?? '',
      issuer: app.settings['JWT_ISSUER'] ?? '',
      audience: app.settings['JWT_AUDIENCE'] ?? '',
      subject,
      tenantId,
      roles,
    });

  async function readAudit(query: string, auth: { token?: string; apiKey?: string }): Promise<{ status: number; body: unknown }> {
    const response = await app.call(`/api/v1/audit${query}`, auth);
    const text = await response.text();
    return { status: response.status, body: text ? (JSON.parse(text) as unknown) : undefined };
  }

  before(async () => {
    app = await startE2eHost();
    admin = await app.adminToken();
    // One change through the helper, one with a forwarded IP to see it hashed.
    await app.putSetting('privacy', { auditRetentionDays: 30 });
    const current = await (await app.call('/api/v1/admin/settings/kyc', { token: admin })).json() as { value: unknown };
    const response = await app.call('/api/v1/admin/settings/kyc', {
      method: 'PUT',
      token: admin,
      headers: { 'content-type': 'application/json', 'x-forwarded-for': '203.0.113.7:50000, 10.0.0.1', 'x-correlation-id': 'e2e-audit-put' },
      body: JSON.stringify({ value: current.value }),
    });
    assert.equal(response.status, 200, await response.text());
  });
  after(() => app?.stop());

  it('should show an admin the settings change, with a hashed IP and a retention deadline', async () => {
    const { status, body } = await readAudit('?targetId=kyc', { token: admin });
    assert.equal(status, 200, JSON.stringify(body));
    const { items } = body as AuditAnswer;
    const change = items.find((e) => e.correlationId === 'e2e-audit-put');
    assert.ok(change, JSON.stringify(items));
    assert.equal(change.action, 'settings.update');
    assert.equal(change.outcome, 'success');
    assert.equal(change.actor, 'user:e2e-admin');
    assert.deepEqual(change.roles, ['admin']);
    assert.equal(change.tenantId, 'platform');
    assert.match(change.ipHash ?? '', /^[0-9a-f]{64}$/);
    assert.ok(!JSON.stringify(items).includes('203.0.113.7'));
    assert.equal(Date.parse(change.expiresAt) - Date.parse(change.at), 30 * 86_400_000);
    assert.ok(items.every((e) => e.targetId === 'kyc'));
  });

  it('should let an operator read, and refuse a trader and an API key', async () => {
    assert.equal((await readAudit('?action=settings.update', { token: await token(['operator']) })).status, 200);
    assert.equal((await readAudit('', { token: await token(['trader']) })).status, 403);
    const byKey = (await readAudit('', { apiKey: 'demo-a-key' })).status;
    assert.ok(byKey === 401 || byKey === 403, `API key got ${byKey}`);
    assert.equal((await readAudit('', {})).status, 401);
  });

  it('should keep each tenant to its own trail, and the deployment-wide settings to platform admins', async () => {
    const merchantAdmin = await app.adminToken('demo-b');
    const { status, body } = await readAudit('?targetId=kyc', { token: merchantAdmin });
    assert.equal(status, 200);
    assert.deepEqual((body as AuditAnswer).items, []);
    const settings = await app.call('/api/v1/admin/settings/kyc', { token: merchantAdmin });
    assert.equal(settings.status, 403);
    assert.equal(((await settings.json()) as { type: string }).type, 'urn:vouch:problem:platform-tenant-required');
  });

  it('should record reads of the trail, refused ones too, and refused settings changes', async () => {
    const trader = await token(['trader'], 'platform', 'e2e-trader-put');
    const refused = await app.call('/api/v1/admin/settings/kyc', {
      method: 'PUT',
      token: trader,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ value: {} }),
    });
    assert.equal(refused.status, 403);
    // The refused reads above came with demo-a credentials: they are in demo-a's trail.
    const demoAdmin = { token: await app.adminToken('demo-a') };
    await readAudit('?limit=1', demoAdmin); // a successful read to find below
    const reads = (await readAudit('?action=audit.read&limit=200', demoAdmin)).body as AuditAnswer;
    assert.ok(reads.items.some((e) => e.outcome === 'success' && e.actor === 'user:e2e-admin' && e.targetId === 'demo-a'));
    assert.ok(reads.items.some((e) => e.outcome === 'denied' && e.actor === 'user:e2e-trader'));
    assert.ok(reads.items.some((e) => e.outcome === 'denied' && e.actor.startsWith('apikey:') && e.roles[0] === 'apiKey'));
    const denied = (await readAudit('?actor=user:e2e-trader-put', { token: admin })).body as AuditAnswer;
    assert.deepEqual(denied.items.map((e) => [e.action, e.outcome, e.targetId]), [['settings.update', 'denied', 'kyc']]);
  });

  it('should page through continuation tokens', async () => {
    const first = (await readAudit('?limit=1', { token: admin })).body as AuditAnswer;
    assert.equal(first.items.length, 1);
    assert.ok(first.continuationToken);
    const second = (await readAudit(`?limit=1&continuationToken=${first.continuationToken}`, { token: admin })).body as AuditAnswer;
    assert.equal(second.items.length, 1);
    assert.ok((second.items[0]?.id ?? '') < (first.items[0]?.id ?? ''), 'older on the next page');
  });

  it('should answer a bad query with 400 naming the field', async () => {
    for (const [query, field] of [['?limit=500', 'limit'], ['?from=yesterday', 'from'], ['?continuationToken=zzz', 'continuationToken'], ['?tenantId=demo-b', 'tenantId']] as const) {
      const { status, body } = await readAudit(query, { token: admin });
      assert.equal(status, 400, query);
      // An unknown key is named in the message of the whole query's error.
      const errors = (body as { errors?: { path: string; message: string }[] }).errors ?? [];
      assert.ok(errors.some((e) => e.path === field || (e.path === '' && e.message.includes(field))), `${query}: ${JSON.stringify(body)}`);
    }
  });
});
