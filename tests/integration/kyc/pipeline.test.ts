import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import { manifestBlobName } from '../../../shared/kyc/blob-names';
import { onFacesMessage, onFramesMessage, onMediaUploaded, onPoisonBlob, onPoisonMessage } from '../../../shared/kyc/pipeline';
import { verificationCompletedEventSchema } from '../../../shared/kyc/messages';
import { completedEvent } from '../../../shared/kyc/completion';
import { corruptVideo, longVideo } from '../../support/media-fixtures';
import { formRequest, jpeg, png, realMp4 } from './multipart-bodies';
import { createInput, harness, type Harness } from './kyc-harness';
import { startLocalServices, suffix, type LocalServices } from './local-services';

let services: LocalServices;
let h: Harness;
before(async () => {
  services = await startLocalServices();
  h = await harness(services);
});
after(async () => services?.stop());

const manifestOf = (id: string) => `kyc-media/${manifestBlobName(h.tenantId, id)}`;

async function postPhoto(callbackUrl?: string): Promise<string> {
  const parts = [
    { name: 'document', file: await jpeg(320, 240) },
    { name: 'selfie', file: await png(320, 240) },
    ...(callbackUrl ? [{ name: 'callbackUrl', value: callbackUrl }] : []),
  ];
  return (await h.api.create(createInput(h.tenantId, await formRequest(parts)))).id;
}
async function postVideo(video: Buffer): Promise<string> {
  const parts = [{ name: 'document', file: await jpeg(320, 240) }, { name: 'selfieVideo', file: video }];
  return (await h.api.create(createInput(h.tenantId, await formRequest(parts)))).id;
}
const messagesFor = (id: string) => h.sender.sent.filter((s) => JSON.stringify(s.message.body).includes(id));

describe('KYC pipeline', () => {
  it('it should take a photo verification from manifest to decision once, however often each step runs', async () => {
    const id = await postPhoto('https://hooks.example.com/kyc');
    const ref = { tenantId: h.tenantId, verificationId: id };

    assert.deepEqual(await onMediaUploaded(manifestOf(id), h.pipeline), { action: 'sent', queue: 'faces' });
    assert.deepEqual(await onMediaUploaded(manifestOf(id), h.pipeline), { action: 'sent', queue: 'faces' });
    assert.deepEqual(messagesFor(id).map((m) => [m.queue, m.message.messageId]), [['faces', `${id}:faces`]]);

    const evidenceBefore = h.evidenceCalls.length;
    assert.deepEqual(await onFacesMessage(ref, h.pipeline), { action: 'decided', status: 'approved' });
    assert.deepEqual(await onFacesMessage(ref, h.pipeline), { action: 'already-done', status: 'approved' });
    assert.equal(h.evidenceCalls.length, evidenceBefore + 1, 'faces analysed once');
    assert.equal(await onMediaUploaded(manifestOf(id), h.pipeline).then((r) => r.action), 'already-started');

    const record = await h.verifications.get(h.tenantId, id);
    assert.equal(record?.status, 'approved');
    assert.equal(record?.attempts.faces, 1);
    const view = await h.api.get(h.tenantId, id);
    assert.equal(view.decision?.outcome, 'approved');
    assert.deepEqual(view.decision?.faceMatch, { score: 0.8, threshold: h.settings.matchThreshold, provider: 'local' });

    assert.deepEqual(messagesFor(id).map((m) => m.queue), ['faces'], 'no events queue: the webhook announces the decision');
    const hooks = h.webhooks.filter((w) => w.event.id.startsWith(id));
    assert.equal(hooks.length, 2, 're-announced on the second run…');
    assert.equal(new Set(hooks.map((w) => w.event.id)).size, 1, '…with the same event id, which delivery de-duplicates');
    assert.equal(hooks[0]!.callbackUrl, 'https://hooks.example.com/kyc');
  });

  it('it should ignore media and frame blobs: only the manifest starts work', async () => {
    assert.deepEqual(await onMediaUploaded(`kyc-media/${h.tenantId}/v1/document.jpg`, h.pipeline), { action: 'ignored', why: 'not-a-manifest' });
    assert.deepEqual(await onMediaUploaded('kyc-media/somewhere/else.txt', h.pipeline), { action: 'ignored', why: 'not-a-manifest' });
  });

  it('it should mark the record pending from the manifest when POST crashed before doing so', async () => {
    const id = await postPhoto();
    await h.verifications.update(h.tenantId, id, (r) => {
      const { media, requestFingerprint, ...rest } = r;
      void media;
      void requestFingerprint;
      return { ...rest, status: 'uploading' };
    });
    assert.deepEqual(await onMediaUploaded(manifestOf(id), h.pipeline), { action: 'sent', queue: 'faces' });
    const record = await h.verifications.get(h.tenantId, id);
    assert.equal(record?.status, 'pending');
    assert.equal(record?.media?.selfie.kind, 'photo');
  });

  it('it should extract frames from a real video with ffmpeg once, then decide', async () => {
    const id = await postVideo(realMp4());
    const ref = { tenantId: h.tenantId, verificationId: id };
    assert.deepEqual(await onMediaUploaded(manifestOf(id), h.pipeline), { action: 'sent', queue: 'frames' });

    assert.deepEqual(await onFramesMessage(ref, h.pipeline), { action: 'sent-faces', frames: 5, reused: false });
    assert.deepEqual(await onFramesMessage(ref, h.pipeline), { action: 'sent-faces', frames: 5, reused: true });
    const frames = (await h.blobNames(`${h.tenantId}/${id}/frames/`));
    assert.deepEqual(frames, [0, 1, 2, 3, 4].map((i) => `${h.tenantId}/${id}/frames/0${i}.jpg`));
    assert.deepEqual(messagesFor(id).map((m) => m.message.messageId), [`${id}:frames`, `${id}:faces`]);

    assert.deepEqual(await onFacesMessage(ref, h.pipeline), { action: 'decided', status: 'approved' });
    const selfie = h.evidenceCalls.at(-1)!;
    assert.equal(selfie.kind, 'video');
    assert.equal(selfie.kind === 'video' ? selfie.frames.length : 0, 5);
    assert.deepEqual(await onFramesMessage(ref, h.pipeline), { action: 'already-done' });
  });

  it('it should fail a corrupt video with UNREADABLE_MEDIA instead of retrying', async () => {
    const bytes = await readFile(await corruptVideo());
    const id = await postVideo(bytes);
    const ref = { tenantId: h.tenantId, verificationId: id };
    await onMediaUploaded(manifestOf(id), h.pipeline);
    assert.deepEqual(await onFramesMessage(ref, h.pipeline), { action: 'failed', reason: 'UNREADABLE_MEDIA' });
    assert.deepEqual(await onFramesMessage(ref, h.pipeline), { action: 'already-done' });
    const view = await h.api.get(h.tenantId, id);
    assert.equal(view.status, 'failed');
    assert.equal(view.failureReason, 'UNREADABLE_MEDIA');
    const record = await h.verifications.get(h.tenantId, id);
    assert.deepEqual(verificationCompletedEventSchema.parse(completedEvent(record!)).reasons, ['UNREADABLE_MEDIA']);
  });

  it('it should fail a video over the duration limit with VIDEO_TOO_LONG (only knowable after upload)', async () => {
    const id = await postVideo(await readFile(await longVideo(35)));
    await onMediaUploaded(manifestOf(id), h.pipeline);
    assert.deepEqual(await onFramesMessage({ tenantId: h.tenantId, verificationId: id }, h.pipeline), { action: 'failed', reason: 'VIDEO_TOO_LONG' });
    assert.equal((await h.api.get(h.tenantId, id)).failureReason, 'VIDEO_TOO_LONG');
  });

  it('it should fail an undecodable document image in the faces step', async () => {
    const id = await postPhoto();
    // Same magic bytes, garbage after: sniffing passes, sharp cannot decode it.
    const blob = `${h.tenantId}/${id}/document.jpg`;
    await h.blobs.upload(blob, Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(2000, 7)]), 'image/jpeg');
    await onMediaUploaded(manifestOf(id), h.pipeline);
    assert.deepEqual(await onFacesMessage({ tenantId: h.tenantId, verificationId: id }, h.pipeline), { action: 'failed', reason: 'UNREADABLE_MEDIA' });
  });

  it('it should end a poisoned verification as failed, once, and leave finished ones alone', async () => {
    const id = await postPhoto();
    const ref = { tenantId: h.tenantId, verificationId: id };
    await onMediaUploaded(manifestOf(id), h.pipeline);
    await h.verifications.update(h.tenantId, id, (r) => ({ ...r, status: 'processing' }));
    assert.deepEqual(await onPoisonMessage(ref, h.pipeline), { action: 'failed' });
    assert.deepEqual(await onPoisonMessage(ref, h.pipeline), { action: 'already-done' });
    assert.equal((await h.api.get(h.tenantId, id)).failureReason, 'PROCESSING_FAILED');
    assert.deepEqual(await onPoisonMessage({ nonsense: true }, h.pipeline), { action: 'ignored' });
    assert.deepEqual(await onPoisonMessage({ tenantId: h.tenantId, verificationId: `v${suffix()}` }, h.pipeline), { action: 'ignored' });

    const approved = await postPhoto();
    await onMediaUploaded(manifestOf(approved), h.pipeline);
    await onFacesMessage({ tenantId: h.tenantId, verificationId: approved }, h.pipeline);
    assert.deepEqual(await onPoisonBlob(manifestOf(approved), h.pipeline), { action: 'already-done' });
    assert.equal((await h.api.get(h.tenantId, approved)).status, 'approved');
  });

  it('it should ignore messages for verifications that no longer exist', async () => {
    const ref = { tenantId: h.tenantId, verificationId: `v${suffix()}` };
    assert.deepEqual(await onFacesMessage(ref, h.pipeline), { action: 'ignored', why: 'no-record' });
    assert.deepEqual(await onFramesMessage(ref, h.pipeline), { action: 'ignored', why: 'no-record' });
    await assert.rejects(onFacesMessage({ tenantId: 1 }, h.pipeline));
  });

  it('it should treat a manifest whose record was erased as nothing to do', async () => {
    const id = `v${suffix()}`;
    await h.blobs.upload(manifestBlobName(h.tenantId, id), Buffer.from(JSON.stringify({
      tenantId: h.tenantId, verificationId: id, requestFingerprint: 'f',
      media: { document: { blobName: 'x', contentType: 'image/jpeg', sizeBytes: 1 }, selfie: { blobName: 'y', contentType: 'image/jpeg', sizeBytes: 1, kind: 'photo' } },
    })), 'application/json');
    assert.deepEqual(await onMediaUploaded(manifestOf(id), h.pipeline), { action: 'ignored', why: 'no-record' });
  });
});
