import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type AuditEntry, toAuditEntry } from '../../../shared/audit/audit-entry';
import type { AuditEvent } from '../../../shared/audit/audit-event';
import { hashSubjectRef } from '../../../shared/audit/audit-hash';
import { type AuditStore, appendAuditEntry, createAuditStore, purgeExpiredAudit } from '../../../shared/audit/audit-store';
import { DomainError } from '../../../shared/errors';
import { ManualClock } from '../../../shared/platform/clock';
import { type AuditFixture, openAuditFixture } from './cosmos-fixture';

const PEPPER = 'pepper-for-tests-0123456789';
const START = new Date('2026-11-01T00:00:00.000Z');
const HOUR = 3_600_000;

const event = (overrides: Partial<AuditEvent> = {}): AuditEvent => ({
  action: 'settings.update',
  tenantId: 'acme',
  actor: 'user:alice',
  roles: ['admin'],
  targetType: 'settings',
  targetId: 'kyc',
  outcome: 'success',
  correlationId: 'corr',
  ip: '203.0.113.7',
  ...overrides,
});

describe('audit store (real Cosmos server)', () => {
  let fixture: AuditFixture;
  let store: AuditStore;
  let clock: ManualClock;
  let retentionDays = 30;

  before(async () => {
    fixture = await openAuditFixture();
    clock = new ManualClock(START);
    store = createAuditStore(fixture.container, { pepper: PEPPER, clock, retentionDays: async () => retentionDays });
  });
  after(() => fixture.close());

  describe('append-only writes', () => {
    it('should refuse a second entry with the same id and keep the first as written', async () => {
      const first = toAuditEntry(event({ tenantId: 'dup', correlationId: 'first' }), { at: START, pepper: PEPPER, retentionDays: 1, id: 'same-id' });
      await appendAuditEntry(fixture.container, first);
      const second: AuditEntry = { ...first, actor: 'user:mallory', correlationId: 'second' };
      await assert.rejects(appendAuditEntry(fixture.container, second), (error: { code?: number }) => error.code === 409);
      const { resource } = await fixture.container.item('same-id', 'dup').read<AuditEntry>();
      assert.equal(resource?.actor, 'user:alice');
      assert.equal(resource?.correlationId, 'first');
    });

    it('should store the entry with its retention deadline and hashes, read back as written', async () => {
      retentionDays = 7;
      const written = await store.append(event({ tenantId: 'fields', action: 'subject.erase', targetType: 'subject', targetId: 'customer-42' }));
      retentionDays = 30;
      const { resource } = await fixture.container.item(written.id, 'fields').read<AuditEntry>();
      assert.equal(resource?.targetId, hashSubjectRef('fields', 'customer-42', PEPPER));
      assert.equal(resource?.expiresAt, new Date(START.getTime() + 7 * 86_400_000).toISOString());
      assert.equal(resource?.ttl, 7 * 86_400);
      assert.match(resource?.ipHash ?? '', /^[0-9a-f]{64}$/);
      assert.ok(!JSON.stringify(resource).includes('customer-42') && !JSON.stringify(resource).includes('203.0.113.7'));
    });
  });

  describe('filters', () => {
    before(async () => {
      const entries: Partial<AuditEvent>[] = [
        { actor: 'user:alice', action: 'settings.update', targetId: 'kyc' },
        { actor: 'user:bob', action: 'settings.update', targetId: 'orders' },
        { actor: 'apikey:k1', roles: ['apiKey'], action: 'verification.create', targetType: 'verification', targetId: 'v-1' },
        { actor: 'user:bob', action: 'verification.read', targetType: 'verification', targetId: 'v-1' },
        { actor: 'user:ops', action: 'subject.erase', targetType: 'subject', targetId: 'customer-42' },
        { tenantId: 'globex', actor: 'user:alice', action: 'settings.update', targetId: 'kyc' },
      ];
      for (const overrides of entries) {
        clock.advance(HOUR);
        await store.append(event({ tenantId: 'filters', ...overrides }));
      }
    });

    const list = (filter: Parameters<AuditStore['list']>[1], tenantId = 'filters') => store.list(tenantId, filter, { limit: 50 });

    it('should list only the tenant entries, newest first', async () => {
      const page = await list({});
      assert.deepEqual(page.items.map((e) => e.targetId).slice(0, 2), [hashSubjectRef('filters', 'customer-42', PEPPER), 'v-1']);
      assert.equal(page.items.length, 5);
      assert.ok(page.items.every((e) => e.tenantId === 'filters'));
      assert.equal(page.continuationToken, null);
      const ats = page.items.map((e) => e.at);
      assert.deepEqual(ats, [...ats].sort().reverse());
    });

    it('should filter by target, actor and action', async () => {
      assert.deepEqual((await list({ targetId: 'v-1' })).items.map((e) => e.action), ['verification.read', 'verification.create']);
      assert.deepEqual((await list({ actor: 'user:bob' })).items.map((e) => e.targetId), ['v-1', 'orders']);
      assert.deepEqual((await list({ action: 'settings.update' })).items.map((e) => e.targetId), ['orders', 'kyc']);
      assert.deepEqual((await list({ actor: 'user:bob', action: 'settings.update' })).items.map((e) => e.targetId), ['orders']);
    });

    it('should find a subject entry by its subjectRef without storing it', async () => {
      const items = (await list({ targetId: 'customer-42' })).items;
      assert.equal(items.length, 1);
      assert.equal(items[0]?.action, 'subject.erase');
    });

    it('should filter by time, both bounds inclusive', async () => {
      const at = (hours: number) => new Date(START.getTime() + hours * HOUR).toISOString();
      // Entries of this tenant were written at START + 1h … START + 5h.
      const items = (await list({ from: at(2), to: at(4) })).items;
      assert.deepEqual(items.map((e) => e.at), [at(4), at(3), at(2)]);
      assert.equal((await list({ from: at(6) })).items.length, 0);
    });

    it('should not show one tenant another tenant entries', async () => {
      const items = (await list({ targetId: 'kyc' }, 'globex')).items;
      assert.equal(items.length, 1);
      assert.equal(items[0]?.tenantId, 'globex');
    });
  });

  describe('pagination', () => {
    before(async () => {
      for (let i = 0; i < 7; i += 1) {
        clock.advance(1_000);
        await store.append(event({ tenantId: 'pages', targetId: `t-${i}` }));
      }
    });

    it('should walk every entry once, newest first, through continuation tokens', async () => {
      const seen: string[] = [];
      let token: string | undefined;
      let pages = 0;
      do {
        const page = await store.list('pages', {}, { limit: 3, ...(token ? { continuationToken: token } : {}) });
        pages += 1;
        assert.ok(page.items.length <= 3);
        seen.push(...page.items.map((e) => e.targetId));
        token = page.continuationToken ?? undefined;
        if (token) assert.match(token, /^[A-Za-z0-9_-]+$/, 'opaque and URL-safe');
      } while (token && pages < 10);
      assert.deepEqual(seen, ['t-6', 't-5', 't-4', 't-3', 't-2', 't-1', 't-0']);
      assert.equal(pages, 3);
    });

    it('should answer a made-up token with a 400 naming continuationToken', async () => {
      await assert.rejects(store.list('pages', {}, { limit: 3, continuationToken: 'bm90LWpzb24' }), (error: unknown) => {
        assert.ok(error instanceof DomainError);
        assert.equal(error.status, 400);
        assert.deepEqual((error.details['errors'] as { path: string }[]).map((e) => e.path), ['continuationToken']);
        return true;
      });
    });
  });

  describe('purge', () => {
    // A database of its own, so entries of the other tests do not count.
    let own: AuditFixture;
    before(async () => {
      own = await openAuditFixture();
    });
    after(() => own.close());

    it('should delete only expired entries, at most a batch per call', async () => {
      const now = new Date('2027-06-01T00:00:00.000Z');
      const old = new Date(now.getTime() - 10 * 86_400_000);
      const write = (tenantId: string, at: Date, days: number) =>
        appendAuditEntry(own.container, toAuditEntry(event({ tenantId }), { at, pepper: PEPPER, retentionDays: days }));
      await write('purge-a', old, 1);
      await write('purge-a', old, 2);
      await write('purge-b', old, 3);
      await write('purge-a', old, 30); // still within its retention
      await write('purge-b', now, 1);
      const remaining = async () => (await own.container.items.readAll<AuditEntry>().fetchAll()).resources.map((e) => e.expiresAt).sort();

      assert.equal(await purgeExpiredAudit(own.container, now, 2), 2);
      assert.equal((await remaining()).length, 3);
      assert.equal(await purgeExpiredAudit(own.container, now, 2), 1);
      assert.deepEqual(await remaining(), ['2027-06-02T00:00:00.000Z', '2027-06-21T00:00:00.000Z']);
      assert.equal(await purgeExpiredAudit(own.container, now, 2), 0);
    });

    it('should refuse a batch that is not a positive integer', async () => {
      await assert.rejects(purgeExpiredAudit(own.container, new Date(), 0), RangeError);
    });
  });
});
