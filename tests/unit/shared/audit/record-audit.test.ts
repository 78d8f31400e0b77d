/**
 * The recorder's promise: an audit outage never fails the caller's work. Storage is made
 * unreachable deterministically (no app settings, so the store cannot be built).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { HttpRequest, InvocationContext } from '@azure/functions';
import type { Principal } from '../../../../shared/auth';
import { resetConfigForTests } from '../../../../shared/config';
import { DomainError } from '../../../../shared/errors';
import type { ApiCall } from '../../../../shared/http';
import type { Logger } from '../../../../shared/platform/logger';
import { AUDIT_WRITE_FAILED_EVENT, auditCall, recordAudit, requireRolesAudited } from '../../../../shared/wiring/audit';

function capture(): { log: Logger; lines: { level: string; message: string; properties?: Record<string, unknown> }[] } {
  const lines: { level: string; message: string; properties?: Record<string, unknown> }[] = [];
  const push = (level: string) => (message: string, properties?: Record<string, unknown>) => void lines.push({ level, message, ...(properties ? { properties } : {}) });
  return { log: { info: push('info'), warn: push('warn'), error: push('error') }, lines };
}

function apiCall(principal: Principal, log: Logger, headers: Record<string, string> = {}): ApiCall<Principal> {
  const request = new HttpRequest({ url: 'http://localhost/api/v1/admin/settings/kyc', method: 'PUT', headers });
  const unused = () => {
    throw new Error('not used by these tests');
  };
  return {
    request,
    context: new InvocationContext({ functionName: 'putSetting' }),
    principal,
    correlationId: 'corr-outage',
    log,
    body: unused,
    bytes: unused,
    query: unused,
    params: unused,
  };
}

describe('recordAudit during a storage outage', () => {
  const saved = { ...process.env };
  before(() => {
    delete process.env['VOUCH_MODE'];
    delete process.env['COSMOS_ENDPOINT'];
    resetConfigForTests();
  });
  after(() => {
    Object.assign(process.env, saved);
    resetConfigForTests();
  });

  it('should resolve, log an error with the correlation id and track a telemetry event', async () => {
    const { log, lines } = capture();
    await recordAudit(
      { action: 'subject.erase', tenantId: 'acme', actor: 'user:ops', roles: ['operator'], targetType: 'subject', targetId: 'customer-42', outcome: 'success', correlationId: 'corr-1' },
      log,
    );
    const error = lines.find((l) => l.level === 'error');
    assert.equal(error?.properties?.['correlationId'], 'corr-1');
    assert.ok(lines.some((l) => l.message.includes(AUDIT_WRITE_FAILED_EVENT)), 'telemetry event (logged locally)');
    assert.ok(!JSON.stringify(lines).includes('customer-42'), 'never the subjectRef in logs');
  });

  it('should let auditCall resolve too', async () => {
    const { log, lines } = capture();
    await auditCall(apiCall({ kind: 'user', tenantId: 'acme', subject: 'alice', roles: ['admin'] }, log), 'settings.update', { targetType: 'settings', targetId: 'kyc' });
    assert.equal(lines.find((l) => l.level === 'error')?.properties?.['correlationId'], 'corr-outage');
  });

  it('should still answer 403 for a refused caller, whatever the trail does', async () => {
    const { log } = capture();
    const trader = apiCall({ kind: 'user', tenantId: 'acme', subject: 'bob', roles: ['trader'] }, log);
    await assert.rejects(requireRolesAudited(trader, ['admin'], 'settings.update', { targetType: 'settings', targetId: 'kyc' }), (e: unknown) => e instanceof DomainError && e.status === 403);
    const key = apiCall({ kind: 'apiKey', tenantId: 'acme', keyId: 'k1' }, log);
    await assert.rejects(requireRolesAudited(key, ['admin'], 'settings.update', { targetType: 'settings', targetId: 'kyc' }), (e: unknown) => e instanceof DomainError && e.status === 403);
    await requireRolesAudited(apiCall({ kind: 'user', tenantId: 'acme', subject: 'o', roles: ['operator'] }, log), ['admin', 'operator'], 'audit.read', { targetType: 'audit', targetId: 'acme' });
  });
});
