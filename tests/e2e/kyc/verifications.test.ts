/**
 * KYC end to end over HTTP against the real local runtime: uploads go through Blob, the blob
 * trigger, Service Bus, ffmpeg, sharp and the local face engine to the decision a client reads.
 * One host for the file; the decision cases are submitted together and decided in parallel.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import { type E2eHost, type UploadPart, type VerificationView, mp4, png, startE2eHost } from '../../support/e2e-host';
import { corruptVideo, jpegNamedMp4, stillFrame, stillPhotoVideo, transcodedClip } from '../../support/media-fixtures';

const show = (view: VerificationView | undefined) => JSON.stringify(view);

describe('KYC verifications end to end', () => {
  let app: E2eHost;
  let media: Record<'document' | 'sameSelfie' | 'otherSelfie' | 'liveVideo' | 'staticPhotoVideo' | 'pannedPhotoVideo' | 'corrupt' | 'jpegAsMp4' | 'twoPeople' | 'noFace', Buffer>;

  before(async () => {
    const [host, document, sameSelfie, otherSelfie, liveVideo, staticPhotoVideo, pannedPhotoVideo, corrupt, jpegAsMp4] = await Promise.all([
      startE2eHost(),
      readFile(await stillFrame('grid_bbaf2n', 0.3)),
      readFile(await stillFrame('grid_bbaf2n', 2.5)),
      readFile(await stillFrame('grid_lbax4n', 1)),
      readFile(await transcodedClip('grid_bbaf2n', 'mp4')),
      readFile(await stillPhotoVideo('static')),
      readFile(await stillPhotoVideo('pan')),
      readFile(await corruptVideo()),
      readFile(await jpegNamedMp4()),
    ]);
    app = host;
    // Two different people side by side in one selfie.
    const { width = 360 } = await sharp(sameSelfie).metadata();
    const twoPeople = await sharp(sameSelfie)
      .extend({ right: width, background: '#808080' })
      .composite([{ input: otherSelfie, left: width, top: 0 }])
      .png()
      .toBuffer();
    const noFace = await sharp({ create: { width: 400, height: 300, channels: 3, background: '#3a6ea5' } }).png().toBuffer();
    media = { document, sameSelfie, otherSelfie, liveVideo, staticPhotoVideo, pannedPhotoVideo, corrupt, jpegAsMp4, twoPeople, noFace };
  });
  after(() => app?.stop());

  async function accepted(parts: UploadPart[], headers: Record<string, string> = {}): Promise<string> {
    const response = await app.submit(parts, { headers });
    const text = await response.text();
    assert.equal(response.status, 202, text);
    const body = JSON.parse(text) as { id: string; status: string };
    assert.equal(response.headers.get('location'), `/api/v1/verifications/${body.id}`);
    return body.id;
  }

  it('reports its dependencies healthy', async () => {
    assert.equal((await app.call('/api/health')).status, 200);
  });

  it('decides each evidence case the way the issue expects', async (t) => {
    const doc = png('document', media.document);
    const cases = {
      samePhoto: [doc, png('selfie', media.sameSelfie)],
      differentPerson: [doc, png('selfie', media.otherSelfie)],
      liveVideo: [doc, mp4(media.liveVideo)],
      staticPhotoVideo: [doc, mp4(media.staticPhotoVideo)],
      pannedPhotoVideo: [doc, mp4(media.pannedPhotoVideo)],
      twoFaces: [doc, png('selfie', media.twoPeople)],
      noFaceInDocument: [png('document', media.noFace), png('selfie', media.sameSelfie)],
      corruptVideo: [doc, mp4(media.corrupt)],
    } satisfies Record<string, UploadPart[]>;
    const ids = await Promise.all(Object.entries(cases).map(async ([name, parts]) => [name, await accepted(parts)] as const));
    const views = Object.fromEntries(await Promise.all(ids.map(async ([name, id]) => [name, await app.waitForDecision(id)] as const)));
    const v = views as Record<keyof typeof cases, VerificationView | undefined>;
    // Printed so a disagreement with the expectation shows the engine's scores.
    for (const [name, view] of Object.entries(v)) t.diagnostic(`${name}: ${show(view)}`);

    assert.equal(v.samePhoto?.status, 'approved', show(v.samePhoto));
    assert.equal(v.samePhoto?.decision?.outcome, 'approved', show(v.samePhoto));

    assert.equal(v.liveVideo?.status, 'approved', show(v.liveVideo));
    assert.equal(v.liveVideo?.decision?.liveness?.method, 'video-frames', show(v.liveVideo));

    assert.equal(v.differentPerson?.status, 'declined', show(v.differentPerson));
    assert.ok(v.differentPerson?.decision?.reasons.includes('FACE_MISMATCH'), show(v.differentPerson));

    for (const still of [v.staticPhotoVideo, v.pannedPhotoVideo]) {
      assert.notEqual(still?.status, 'approved', show(still));
      const reasons = still?.decision?.reasons ?? [];
      assert.ok(still?.status === 'review' || reasons.includes('LIVENESS_FAILED'), show(still));
    }

    assert.ok(v.twoFaces?.decision?.reasons.includes('MULTIPLE_FACES_IN_SELFIE'), show(v.twoFaces));
    assert.notEqual(v.twoFaces?.status, 'approved', show(v.twoFaces));

    assert.ok(v.noFaceInDocument?.decision?.reasons.includes('NO_FACE_IN_DOCUMENT'), show(v.noFaceInDocument));
    assert.notEqual(v.noFaceInDocument?.status, 'approved', show(v.noFaceInDocument));

    assert.equal(v.corruptVideo?.status, 'failed', show(v.corruptVideo));
    assert.equal(v.corruptVideo?.failureReason, 'UNREADABLE_MEDIA', show(v.corruptVideo));
  });

  it('answers an Idempotency-Key replay with the same verification', async () => {
    const parts = [png('document', media.document), png('selfie', media.sameSelfie)];
    const first = await accepted(parts, { 'idempotency-key': 'e2e-replay-1' });
    const second = await accepted(parts, { 'idempotency-key': 'e2e-replay-1' });
    assert.equal(second, first);
    const third = await accepted(parts, { 'idempotency-key': 'e2e-replay-2' });
    assert.notEqual(third, first);
    await Promise.all([app.waitForDecision(first), app.waitForDecision(third)]);
  });

  it('refuses an oversized upload with 413 and a problem document', async () => {
    const huge = Buffer.concat([media.document, Buffer.alloc(16 * 1024 * 1024)]);
    const response = await app.submit([png('document', huge), png('selfie', media.sameSelfie)]);
    assert.equal(response.status, 413, await response.clone().text());
    assert.match(response.headers.get('content-type') ?? '', /application\/problem\+json/);
  });

  it('refuses JPEG bytes declared as an MP4 selfie video with 415', async () => {
    const response = await app.submit([png('document', media.document), mp4(media.jpegAsMp4)]);
    assert.equal(response.status, 415, await response.clone().text());
    assert.match(response.headers.get('content-type') ?? '', /application\/problem\+json/);
    const problem = (await response.json()) as { type: string };
    assert.equal(problem.type, 'urn:vouch:problem:unsupported-media-type');
    assert.doesNotMatch(JSON.stringify(problem), /at .*\.js:\d+/, 'no stack trace in a problem');
  });

  it("refuses a caller without a key, and hides one tenant's verification from another tenant", async () => {
    const unauthenticated = await app.call('/api/v1/verifications/whatever');
    assert.equal(unauthenticated.status, 401);
    assert.match(unauthenticated.headers.get('content-type') ?? '', /application\/problem\+json/);
    const id = await accepted([png('document', media.document), png('selfie', media.sameSelfie)]);
    assert.equal((await app.call(`/api/v1/verifications/${id}`, { apiKey: 'demo-b-key' })).status, 404);
    await app.waitForDecision(id);
  });

  it('audits the creation and the read of a decision, not the polls before it', async () => {
    const id = await accepted([png('document', media.document), png('selfie', media.sameSelfie)]);
    const pending = await app.call(`/api/v1/verifications/${id}`, { apiKey: 'demo-a-key' });
    assert.ok(['pending', 'processing'].includes(((await pending.json()) as VerificationView).status), 'a read before the decision');
    await app.waitForDecision(id); // polls until the first decided view
    const trail = await app.call(`/api/v1/audit?targetId=${id}`, { token: await app.adminToken('demo-a') });
    const { items } = (await trail.json()) as { items: { action: string }[] };
    assert.deepEqual(items.map((e) => e.action), ['verification.read', 'verification.create']);
  });

  it('answers 503 with Retry-After while the backlog is over the limit', async () => {
    await app.putSetting('kyc', { backlogLimit: 1, backlogRetryAfterSeconds: 7 });
    const parts = [png('document', media.document), mp4(media.liveVideo)];
    const submitted: string[] = [];
    let refused: Response | undefined;
    try {
      // Fill the frames/faces queues, then keep asking until the backlog check bites (bounded by a deadline).
      const deadline = Date.now() + 60_000;
      while (!refused && Date.now() < deadline) {
        const batch = await Promise.all(Array.from({ length: 3 }, () => app.submit(parts)));
        for (const response of batch) {
          if (response.status === 503) refused ??= response;
          else if (response.status === 202) submitted.push(((await response.json()) as { id: string }).id);
          else assert.fail(`unexpected ${response.status}: ${await response.text()}`);
        }
      }
    } finally {
      await app.putSetting('kyc', {});
    }
    assert.ok(refused, `no 503 within the deadline after ${submitted.length} accepted uploads`);
    assert.equal(refused.headers.get('retry-after'), '7');
    assert.match(refused.headers.get('content-type') ?? '', /application\/problem\+json/);
    // Everything accepted still gets decided.
    await Promise.all(submitted.map((id) => app.waitForDecision(id, { timeoutMs: 180_000 })));
  });
});
