import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DomainError } from '../../../shared/errors';
import { applyStatusChange, newVerificationRecord } from '../../../shared/kyc/verification';
import { createVerificationStore, type VerificationStore } from '../../../shared/kyc/verification-store';
import { startLocalServices, suffix, type LocalServices } from './local-services';

let services: LocalServices;
let store: VerificationStore;
const now = new Date('2026-11-23T12:00:00.000Z');
const media = {
  document: { blobName: 't/v/document.jpg', contentType: 'image/jpeg', sizeBytes: 10 },
  selfie: { blobName: 't/v/selfie.jpg', contentType: 'image/jpeg', sizeBytes: 10, kind: 'photo' as const },
};
const fresh = (tenantId: string, id = `v${suffix()}`) =>
  newVerificationRecord({ id, tenantId, now, mediaRetentionDays: 7, recordRetentionDays: 90 });

before(async () => {
  services = await startLocalServices();
  store = createVerificationStore(await services.cosmosContainer('verifications'));
});
after(async () => services?.stop());

describe('verification store (Cosmos)', () => {
  it('it should create and read back a record with its ETag', async () => {
    const r = fresh('t1');
    const created = await store.create(r);
    assert.ok(created._etag);
    const got = await store.get('t1', r.id);
    assert.equal(got?.id, r.id);
    assert.equal(got?.status, 'uploading');
  });

  it("it should not find another tenant's verification", async () => {
    const r = fresh('t1');
    await store.create(r);
    assert.equal(await store.get('t2', r.id), undefined);
    await assert.rejects(store.update('t2', r.id, (c) => c), (e: unknown) => e instanceof DomainError && e.status === 404);
  });

  it('it should refuse a second record with the same id', async () => {
    const r = fresh('t1');
    await store.create(r);
    await assert.rejects(store.create(r), (e: unknown) => e instanceof DomainError && e.code === 'verification-exists');
  });

  it('it should update under the ETag and retry when someone else wrote first', async () => {
    const r = fresh('t1');
    await store.create(r);
    const noop = await store.update('t1', r.id, () => undefined);
    assert.equal(noop.changed, false); // `undefined` means nothing to do: no write
    // Concurrent writers: each replace that loses the ETag race (412) re-reads and retries; none is lost.
    await store.update('t1', r.id, (c) => applyStatusChange(c, { to: 'pending', media, requestFingerprint: 'f' }, now).record);
    await Promise.all(
      Array.from({ length: 5 }, () =>
        store.update('t1', r.id, (c) => applyStatusChange(c, { to: 'processing', step: 'faces' }, now).record),
      ),
    );
    const final = await store.get('t1', r.id);
    assert.equal(final?.attempts.faces, 5);
  });

  it('it should let the first final state win when two runs decide', async () => {
    const r = fresh('t1');
    await store.create(r);
    await store.update('t1', r.id, (c) => applyStatusChange(c, { to: 'pending', media, requestFingerprint: 'f' }, now).record);
    await store.update('t1', r.id, (c) => applyStatusChange(c, { to: 'processing', step: 'faces' }, now).record);
    const fail = (c: Parameters<Parameters<VerificationStore['update']>[2]>[0]) =>
      c.status === 'failed' ? undefined : applyStatusChange(c, { to: 'failed', reason: 'UNREADABLE_MEDIA' }, now).record;
    const results = await Promise.all([store.update('t1', r.id, fail), store.update('t1', r.id, fail)]);
    assert.deepEqual(results.map((x) => x.changed).sort(), [false, true]);
  });

  it('it should find the verifications of one subject within the tenant', async () => {
    const subject = `user-${suffix()}`;
    for (const tenant of ['t1', 't1', 't2']) {
      const r = await store.create(fresh(tenant));
      await store.update(tenant, r.id, (c) =>
        applyStatusChange(c, { to: 'pending', media, requestFingerprint: 'f', subjectRef: subject }, now).record,
      );
    }
    assert.equal((await store.findBySubjectRef('t1', subject)).length, 2);
    assert.equal((await store.findBySubjectRef('t2', subject)).length, 1);
  });

  it('it should delete, and treat deleting a missing record as done', async () => {
    const r = await store.create(fresh('t1'));
    await store.delete('t1', r.id);
    await store.delete('t1', r.id);
    assert.equal(await store.get('t1', r.id), undefined);
  });
});
