import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  auditListQuerySchema,
  buildAuditQuery,
  decodeContinuation,
  encodeContinuation,
} from '../../../../shared/audit/audit-query';

const issuePaths = (input: Record<string, unknown>) => {
  const result = auditListQuerySchema.safeParse(input);
  return result.success ? [] : result.error.issues.map((i) => i.path.join('.'));
};

describe('audit list query', () => {
  it('should default the limit to 50 and coerce it from the query string', () => {
    assert.equal(auditListQuerySchema.parse({}).limit, 50);
    assert.equal(auditListQuerySchema.parse({ limit: '200' }).limit, 200);
  });

  it('should name the bad field', () => {
    assert.deepEqual(issuePaths({ limit: '0' }), ['limit']);
    assert.deepEqual(issuePaths({ limit: '201' }), ['limit']);
    assert.deepEqual(issuePaths({ from: 'yesterday' }), ['from']);
    assert.deepEqual(issuePaths({ action: 'everything' }), ['action']);
    assert.deepEqual(issuePaths({ from: '2026-02-01T00:00:00Z', to: '2026-01-01T00:00:00Z' }), ['to']);
    assert.ok(issuePaths({ target: 'kyc' }).length > 0, 'an unknown key is refused');
  });

  it('should normalise times to UTC so they compare with stored ones', () => {
    const q = auditListQuerySchema.parse({ from: '2026-11-23T14:00:00+02:00' });
    assert.equal(q.from, '2026-11-23T12:00:00.000Z');
  });

  it('should build a tenant-scoped, parameterised, newest-first query', () => {
    const spec = buildAuditQuery('acme', { actor: "user:o'brien", action: 'settings.update', from: 'F', to: 'T' });
    assert.equal(
      spec.query,
      'SELECT * FROM c WHERE c.tenantId = @tenantId AND c.actor = @actor AND c.action = @action AND c.at >= @from AND c.at <= @to ORDER BY c.id DESC',
    );
    assert.deepEqual(spec.parameters, [
      { name: '@tenantId', value: 'acme' },
      { name: '@actor', value: "user:o'brien" },
      { name: '@action', value: 'settings.update' },
      { name: '@from', value: 'F' },
      { name: '@to', value: 'T' },
    ]);
  });

  it('should match a target id as given, or as a hashed subject ref', () => {
    const plain = buildAuditQuery('acme', { targetId: 'kyc' });
    assert.match(plain.query, /c\.targetId = @targetId ORDER/);
    const both = buildAuditQuery('acme', { targetId: 'customer-42', subjectTargetId: 'h' });
    assert.match(both.query, /\(c\.targetId = @targetId OR \(c\.targetType = 'subject' AND c\.targetId = @subjectTargetId\)\)/);
    assert.deepEqual(both.parameters?.map((p) => p.value), ['acme', 'customer-42', 'h']);
  });

  it('should round-trip continuation tokens and refuse foreign ones', () => {
    const token = '{"token":"+RID:abc==#RT:1","range":{"min":"","max":"FF"}}';
    const opaque = encodeContinuation(token);
    assert.match(opaque, /^[A-Za-z0-9_-]+$/);
    assert.equal(decodeContinuation(opaque), token);
    assert.equal(decodeContinuation('not a token!'), undefined);
    assert.equal(decodeContinuation(Buffer.from('plain').toString('base64url')), undefined);
  });
});
