import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { verificationPrefix } from '../../../shared/kyc/blob-names';
import { sweepRetention } from '../../../shared/privacy/retention-sweep';
import { startLocalServices, type LocalServices } from '../kyc/local-services';
import { DAY_MS, privacyHarness, type PrivacyHarness } from './privacy-harness';

let services: LocalServices;
let h: PrivacyHarness;
before(async () => {
  services = await startLocalServices();
  h = await privacyHarness(services);
});
after(async () => services?.stop());

describe('sweepRetention', () => {
  it('it should erase media past their deadline, then records past theirs, then old tombstones', async () => {
    const start = h.clock.now();
    const id = await h.postPhoto('swept-subject');
    const prefix = verificationPrefix(h.tenantId, id);

    assert.equal((await sweepRetention(h.sweep, 100)).erased.some((r) => r.verificationId === id), false, 'nothing due yet');
    assert.equal((await h.blobNames(prefix)).length, 3);

    h.clock.set(new Date(start.getTime() + 7 * DAY_MS + 1000));
    const media = await sweepRetention(h.sweep, 100);
    assert.ok(media.erased.some((r) => r.verificationId === id));
    assert.deepEqual(await h.blobNames(prefix), []);
    assert.ok((await h.verifications.get(h.tenantId, id))?.mediaErasedAt);
    assert.equal((await sweepRetention(h.sweep, 100)).erased.some((r) => r.verificationId === id), false, 'media erased once');

    h.clock.set(new Date(start.getTime() + 90 * DAY_MS + 1000));
    await sweepRetention(h.sweep, 100);
    assert.equal((await h.verifications.lookup(h.tenantId, id))?.kind, 'erased');

    h.clock.set(new Date(start.getTime() + 121 * DAY_MS));
    const purge = await sweepRetention(h.sweep, 100);
    assert.ok(purge.tombstones >= 1);
    assert.equal(await h.verifications.lookup(h.tenantId, id), undefined, 'GET now answers 404');
  });

  it('it should finish an erasure request whose orchestration was lost', async () => {
    const id = await h.postPhoto('requested-subject');
    await h.verifications.update(h.tenantId, id, (r) => ({ ...r, erasureRequestedAt: h.clock.now().toISOString() }));
    await sweepRetention(h.sweep, 100);
    assert.equal((await h.verifications.lookup(h.tenantId, id))?.kind, 'erased');
    assert.deepEqual(await h.blobNames(verificationPrefix(h.tenantId, id)), []);
  });

  it('it should delete blob prefixes whose record is gone, and keep live ones', async () => {
    const live = await h.postPhoto('live-subject');
    const orphan = `${h.tenantId}/orphan-${Date.now()}/`;
    await h.media.getBlockBlobClient(`${orphan}document.jpg`).uploadData(Buffer.from('x'));
    await h.media.getBlockBlobClient(`${orphan}frames/00.jpg`).uploadData(Buffer.from('y'));
    const report = await sweepRetention(h.sweep, 100);
    assert.ok(report.orphanPrefixes >= 1);
    assert.deepEqual(await h.blobNames(orphan), []);
    assert.equal((await h.blobNames(verificationPrefix(h.tenantId, live))).length, 3);
  });

  it('it should take at most batchSize verifications per run', async () => {
    const ids = [await h.postPhoto('batch-1'), await h.postPhoto('batch-2'), await h.postPhoto('batch-3')];
    for (const id of ids) await h.verifications.update(h.tenantId, id, (r) => ({ ...r, erasureRequestedAt: h.clock.now().toISOString() }));
    const first = await sweepRetention(h.sweep, 2);
    assert.equal(first.records, 2);
    await sweepRetention(h.sweep, 2);
    for (const id of ids) assert.equal((await h.verifications.lookup(h.tenantId, id))?.kind, 'erased');
  });
});
