import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DomainError } from '../../../shared/errors';
import { idempotencyDocId } from '../../../shared/kyc/idempotency-store';
import { newVerificationRecord } from '../../../shared/kyc/verification';
import { uploadManifestSchema } from '../../../shared/kyc/messages';
import { formRequest, jpeg, png, type Part } from './multipart-bodies';
import { createInput, harness, type Harness } from './kyc-harness';
import { startLocalServices, suffix, type LocalServices } from './local-services';

let services: LocalServices;
let h: Harness;
before(async () => {
  services = await startLocalServices();
  h = await harness(services);
});
after(async () => services?.stop());

const photoParts = async (subjectRef = 'user-1'): Promise<Part[]> => [
  { name: 'document', file: await jpeg() },
  { name: 'selfie', file: await png() },
  { name: 'subjectRef', value: subjectRef },
];
const isError = (status: number, code: string) => (e: unknown) =>
  e instanceof DomainError && e.status === status && e.code === code;

describe('createVerificationApi', () => {
  it('it should store the media, the manifest and a pending record, and show it to its tenant only', async () => {
    const result = await h.api.create(createInput(h.tenantId, await formRequest(await photoParts())));
    assert.equal(result.status, 'pending');
    assert.equal(result.location, `/api/v1/verifications/${result.id}`);
    assert.deepEqual(await h.blobNames(`${h.tenantId}/${result.id}/`), [
      `${h.tenantId}/${result.id}/document.jpg`,
      `${h.tenantId}/${result.id}/manifest.json`,
      `${h.tenantId}/${result.id}/selfie.png`,
    ]);
    const manifest = uploadManifestSchema.parse(JSON.parse((await h.blobs.download(`${h.tenantId}/${result.id}/manifest.json`)).toString()));
    assert.equal(manifest.media.selfie.kind, 'photo');
    const view = await h.api.get(h.tenantId, result.id);
    assert.deepEqual(Object.keys(view).sort(), ['createdAt', 'expiresAt', 'id', 'status', 'subjectRef']);
    assert.equal(view.status, 'pending');
    await assert.rejects(h.api.get('another-tenant', result.id), isError(404, 'not-found'));
    await assert.rejects(h.api.get(h.tenantId, '../etc'), isError(404, 'not-found'));
  });

  it('it should answer 503 with retryAfterSeconds when the backlog is over the limit', async () => {
    h.depth.frames = 6;
    h.depth.faces = 5;
    try {
      await assert.rejects(h.api.create(createInput(h.tenantId, await formRequest(await photoParts()))), (e: unknown) => {
        assert.ok(isError(503, 'backlog-full')(e));
        assert.equal((e as DomainError).details.retryAfterSeconds, h.settings.backlogRetryAfterSeconds);
        return true;
      });
    } finally {
      h.depth.frames = 0;
      h.depth.faces = 0;
    }
  });

  it('it should delete the record and blobs of a rejected upload', async () => {
    await assert.rejects(h.api.create(createInput(h.tenantId, await formRequest([{ name: 'document', file: await jpeg() }]))), isError(400, 'bad-request'));
    const id = h.ids.at(-1)!;
    assert.equal(await h.verifications.get(h.tenantId, id), undefined);
    assert.deepEqual(await h.blobNames(`${h.tenantId}/${id}/`), []);
  });

  it('it should return the same verification for a retry with the same Idempotency-Key', async () => {
    const parts = await photoParts();
    const key = `key-${suffix()}`;
    const first = await h.api.create(createInput(h.tenantId, await formRequest(parts), key));
    const again = await h.api.create(createInput(h.tenantId, await formRequest(parts), key));
    assert.equal(again.id, first.id);
    assert.equal(again.replayed, true);
    assert.equal(first.replayed, false);
    // Same key, other tenant: an unrelated key.
    const other = await h.api.create(createInput(`${h.tenantId}x`, await formRequest(parts), key));
    assert.notEqual(other.id, first.id);
  });

  it('it should answer 409 when the same Idempotency-Key comes with a different request', async () => {
    const key = `key-${suffix()}`;
    await h.api.create(createInput(h.tenantId, await formRequest(await photoParts('a')), key));
    await assert.rejects(h.api.create(createInput(h.tenantId, await formRequest(await photoParts('b')), key)), isError(409, 'idempotency-key-reused'));
  });

  it('it should release the key of a rejected request so a corrected retry goes through', async () => {
    const key = `key-${suffix()}`;
    await assert.rejects(h.api.create(createInput(h.tenantId, await formRequest([{ name: 'document', file: await jpeg() }]), key)), isError(400, 'bad-request'));
    const ok = await h.api.create(createInput(h.tenantId, await formRequest(await photoParts()), key));
    assert.equal(ok.status, 'pending');
  });

  it('it should answer 409 in-progress for a key whose first request is still uploading, and take over a stale one with the same id', async () => {
    const key = `key-${suffix()}`;
    const crashedId = `v${suffix()}`;
    // A first attempt that crashed mid-upload: claim + `uploading` record + one committed blob.
    await h.verifications.create(newVerificationRecord({ id: crashedId, tenantId: h.tenantId, now: h.clock.now(), mediaRetentionDays: 7, recordRetentionDays: 90 }));
    await h.blobs.upload(`${h.tenantId}/${crashedId}/document.png`, await png(), 'image/png');
    // …and its Idempotency-Key claim naming that id.
    const claimDoc = {
      id: idempotencyDocId(h.tenantId, key),
      tenantId: h.tenantId,
      scope: 'verifications.create' as const,
      verificationId: crashedId,
      claimedAt: h.clock.now().toISOString(),
      ttl: 86400,
    };
    await h.idempotencyContainer.items.create(claimDoc);

    await assert.rejects(h.api.create(createInput(h.tenantId, await formRequest(await photoParts()), key)), isError(409, 'idempotency-in-progress'));
    h.clock.advance((h.settings.idempotencyClaimStaleSeconds + 1) * 1000);
    const taken = await h.api.create(createInput(h.tenantId, await formRequest(await photoParts()), key));
    assert.equal(taken.id, crashedId);
    // The crashed attempt's stray blob is gone; only this request's media and manifest remain.
    assert.deepEqual(await h.blobNames(`${h.tenantId}/${crashedId}/`), [
      `${h.tenantId}/${crashedId}/document.jpg`,
      `${h.tenantId}/${crashedId}/manifest.json`,
      `${h.tenantId}/${crashedId}/selfie.png`,
    ]);
    assert.equal((await h.verifications.get(h.tenantId, crashedId))?.status, 'pending');
  });
});
