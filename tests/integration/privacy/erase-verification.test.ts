import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { onFacesMessage, onFramesMessage, onMediaUploaded } from '../../../shared/kyc/pipeline';
import { manifestBlobName, verificationPrefix } from '../../../shared/kyc/blob-names';
import { eraseVerification, eraseVerificationMedia } from '../../../shared/privacy/erase-verification';
import { startLocalServices, type LocalServices } from '../kyc/local-services';
import { documentsMentioning, privacyHarness, type PrivacyHarness } from './privacy-harness';

let services: LocalServices;
let h: PrivacyHarness;
before(async () => {
  services = await startLocalServices();
  h = await privacyHarness(services);
});
after(async () => services?.stop());

const refOf = (id: string) => ({ tenantId: h.tenantId, verificationId: id });
const manifestOf = (id: string) => `kyc-media/${manifestBlobName(h.tenantId, id)}`;

describe('eraseVerificationMedia', () => {
  it('it should delete every blob under the prefix and mark the record, and a second run should be harmless', async () => {
    const id = await h.postPhoto('media-subject');
    assert.equal((await h.blobNames(verificationPrefix(h.tenantId, id))).length, 3);
    const first = await eraseVerificationMedia(h.erasure, refOf(id));
    assert.equal(first.mediaBlobs, 3);
    assert.deepEqual(await h.blobNames(verificationPrefix(h.tenantId, id)), []);
    const record = await h.verifications.get(h.tenantId, id);
    assert.equal(record?.mediaErasedAt, h.clock.now().toISOString());
    assert.equal((await eraseVerificationMedia(h.erasure, refOf(id))).mediaBlobs, 0);
    assert.equal((await h.api.get(h.tenantId, id)).id, id, 'the record itself stays until its own deadline');
  });

  it('it should make a late manifest trigger and faces message no-ops', async () => {
    const id = await h.postPhoto('media-late');
    await eraseVerificationMedia(h.erasure, refOf(id));
    assert.deepEqual(await onMediaUploaded(manifestOf(id), h.pipeline), { action: 'ignored', why: 'erased' });
    assert.deepEqual(await onFacesMessage(refOf(id), h.pipeline), { action: 'ignored', why: 'erased' });
    assert.deepEqual(await h.blobNames(verificationPrefix(h.tenantId, id)), []);
  });
});

describe('eraseVerification', () => {
  it('it should leave a tombstone without personal data, no blobs and no idempotency claim; twice is harmless', async () => {
    const subject = `subject-${Date.now()}`;
    const id = await h.postPhoto(subject, `key-${subject}`);
    const first = await eraseVerification(h.erasure, refOf(id), 'request');
    assert.deepEqual({ ...first, erasedAt: undefined }, { mediaBlobs: 3, records: 1, idempotencyClaims: 1, erasedAt: undefined });
    assert.deepEqual(await h.blobNames(verificationPrefix(h.tenantId, id)), []);
    assert.equal(await h.verifications.get(h.tenantId, id), undefined);
    const found = await h.api.find(h.tenantId, id);
    assert.deepEqual(found, { kind: 'erased', view: { id, status: 'erased', erasedAt: first.erasedAt } });
    assert.deepEqual(await documentsMentioning([h.verificationsContainer, h.idempotencyContainer], subject), []);

    const second = await eraseVerification(h.erasure, refOf(id), 'request');
    assert.deepEqual(second, { mediaBlobs: 0, records: 0, idempotencyClaims: 0, erasedAt: first.erasedAt });
  });

  it('it should make a late faces message create nothing', async () => {
    const id = await h.postPhoto('late-faces');
    await onMediaUploaded(manifestOf(id), h.pipeline);
    await eraseVerification(h.erasure, refOf(id), 'request');
    const sentBefore = h.sender.sent.length;
    assert.deepEqual(await onFacesMessage(refOf(id), h.pipeline), { action: 'ignored', why: 'no-record' });
    assert.deepEqual(await onFramesMessage(refOf(id), h.pipeline), { action: 'ignored', why: 'no-record' });
    assert.deepEqual(await h.blobNames(verificationPrefix(h.tenantId, id)), []);
    assert.equal((await h.verifications.lookup(h.tenantId, id))?.kind, 'erased');
    assert.equal(h.sender.sent.length, sentBefore, 'no decision announced');
  });

  it('it should not let a frames run that raced the erasure leave frames behind', async () => {
    const id = await h.postVideo('racing-frames');
    await onMediaUploaded(manifestOf(id), h.pipeline);
    // The erasure happens while ffmpeg works: the run then writes its frames to an erased verification.
    const racing = {
      ...h.pipeline,
      extractFrames: async (...args: Parameters<typeof h.pipeline.extractFrames>) => {
        const frames = await h.pipeline.extractFrames(...args);
        await eraseVerification(h.erasure, refOf(id), 'request');
        return frames;
      },
    };
    assert.deepEqual(await onFramesMessage(refOf(id), racing), { action: 'ignored', why: 'erased' });
    assert.deepEqual(await h.blobNames(verificationPrefix(h.tenantId, id)), []);
    assert.equal((await h.verifications.lookup(h.tenantId, id))?.kind, 'erased');
  });

  it('it should not let a faces run that raced the erasure write a decision', async () => {
    const id = await h.postPhoto('racing-faces');
    await onMediaUploaded(manifestOf(id), h.pipeline);
    const racing = {
      ...h.pipeline,
      collectEvidence: async (input: Parameters<typeof h.pipeline.collectEvidence>[0]) => {
        const evidence = await h.pipeline.collectEvidence(input);
        await eraseVerification(h.erasure, refOf(id), 'request');
        return evidence;
      },
    };
    assert.deepEqual(await onFacesMessage(refOf(id), racing), { action: 'ignored', why: 'erased' });
    assert.equal((await h.verifications.lookup(h.tenantId, id))?.kind, 'erased');
  });
});
