/**
 * KYC end to end: real uploads over HTTP to the app on the local runtime, through
 * Blob, the blob trigger, Service Bus, ffmpeg, sharp and the local face engine,
 * to the decision a client reads back.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import { type LocalApp, startLocalApp } from '../support/local-app';
import { corruptVideo, jpegNamedMp4, stillFrame, stillPhotoVideo, transcodedClip } from '../support/media-fixtures';

type View = { id: string; status: string; failureReason?: string; decision?: { outcome: string; reasons: string[]; faceMatch: { score: number | null } } };
type Part = { name: string; file: Buffer; filename: string; type: string };

const TERMINAL = ['approved', 'declined', 'review', 'failed'];
const file = async (path: string) => readFile(path);

function form(parts: Part[], fields: Record<string, string> = {}): FormData {
  const body = new FormData();
  for (const p of parts) body.append(p.name, new Blob([new Uint8Array(p.file)], { type: p.type }), p.filename);
  for (const [k, v] of Object.entries(fields)) body.append(k, v);
  return body;
}

describe('KYC verifications end to end', () => {
  let app: LocalApp;
  const media: Record<string, Buffer> = {};

  before(async () => {
    app = await startLocalApp();
    const twoPeople = await sharp(await file(await stillFrame('grid_bbaf2n', 1)))
      .extend({ right: 360, background: '#808080' })
      .composite([{ input: await file(await stillFrame('grid_lbax4n', 1)), left: 360, top: 0 }])
      .png()
      .toBuffer();
    Object.assign(media, {
      document: await file(await stillFrame('grid_bbaf2n', 0.3)),
      sameSelfie: await file(await stillFrame('grid_bbaf2n', 2.5)),
      otherSelfie: await file(await stillFrame('grid_lbax4n', 1)),
      liveVideo: await file(await transcodedClip('grid_bbaf2n', 'mp4')),
      stillVideo: await file(await stillPhotoVideo('static')),
      corrupt: await file(await corruptVideo()),
      jpegAsMp4: await file(await jpegNamedMp4()),
      twoPeople,
      noFace: await sharp({ create: { width: 400, height: 300, channels: 3, background: '#3a6ea5' } }).png().toBuffer(),
    });
  });
  after(() => app?.stop());

  const png = (name: string, bytes: Buffer | undefined): Part => ({ name, file: bytes ?? Buffer.alloc(0), filename: `${name}.png`, type: 'image/png' });
  const mp4 = (bytes: Buffer | undefined): Part => ({ name: 'selfieVideo', file: bytes ?? Buffer.alloc(0), filename: 'selfie.mp4', type: 'video/mp4' });

  async function submit(parts: Part[], headers: Record<string, string> = {}): Promise<string> {
    const response = await app.call('/api/v1/verifications', { method: 'POST', apiKey: 'demo-a-key', headers, body: form(parts) });
    assert.equal(response.status, 202, await response.clone().text());
    const body = (await response.json()) as { id: string; status: string };
    assert.equal(response.headers.get('location'), `/api/v1/verifications/${body.id}`);
    return body.id;
  }

  async function decided(id: string): Promise<View> {
    const deadline = Date.now() + 120_000;
    while (Date.now() < deadline) {
      const view = (await (await app.call(`/api/v1/verifications/${id}`, { apiKey: 'demo-a-key' })).json()) as View;
      if (TERMINAL.includes(view.status)) return view;
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(`verification ${id} not decided in time`);
  }

  it('should report its dependencies healthy', async () => {
    assert.equal((await app.call('/api/health')).status, 200);
  });

  it('should decide each case the way the issue expects', async () => {
    // Submitted together, decided by the pipeline in parallel.
    const ids = {
      same: await submit([png('document', media.document), png('selfie', media.sameSelfie)]),
      other: await submit([png('document', media.document), png('selfie', media.otherSelfie)]),
      live: await submit([png('document', media.document), mp4(media.liveVideo)]),
      still: await submit([png('document', media.document), mp4(media.stillVideo)]),
      corrupt: await submit([png('document', media.document), mp4(media.corrupt)]),
      twoFaces: await submit([png('document', media.document), png('selfie', media.twoPeople)]),
      noFace: await submit([png('document', media.noFace), png('selfie', media.sameSelfie)]),
    };
    const views = Object.fromEntries(await Promise.all(Object.entries(ids).map(async ([k, id]) => [k, await decided(id)] as const)));
    assert.equal(views.same?.status, 'approved', JSON.stringify(views.same));
    assert.equal(views.other?.status, 'declined', JSON.stringify(views.other));
    assert.ok(views.other?.decision?.reasons.includes('FACE_MISMATCH'));
    assert.equal(views.live?.status, 'approved', JSON.stringify(views.live));
    assert.notEqual(views.still?.status, 'approved', JSON.stringify(views.still));
    assert.equal(views.corrupt?.status, 'failed');
    assert.equal(views.corrupt?.failureReason, 'UNREADABLE_MEDIA');
    assert.ok(views.twoFaces?.decision?.reasons.includes('MULTIPLE_FACES_IN_SELFIE'), JSON.stringify(views.twoFaces));
    assert.ok(views.noFace?.decision?.reasons.includes('NO_FACE_IN_DOCUMENT'), JSON.stringify(views.noFace));
  });

  it('should answer a retry with the same Idempotency-Key with the same verification', async () => {
    const parts = [png('document', media.document), png('selfie', media.sameSelfie)];
    const first = await submit(parts, { 'idempotency-key': 'retry-1' });
    assert.equal(await submit(parts, { 'idempotency-key': 'retry-1' }), first);
  });

  it('should refuse oversized uploads, lying types, strangers and other tenants with problem documents', async () => {
    const huge = Buffer.concat([media.document ?? Buffer.alloc(0), Buffer.alloc(16 * 1024 * 1024)]);
    const tooBig = await app.call('/api/v1/verifications', { method: 'POST', apiKey: 'demo-a-key', body: form([png('document', huge), png('selfie', media.sameSelfie)]) });
    assert.equal(tooBig.status, 413);
    assert.match(tooBig.headers.get('content-type') ?? '', /application\/problem\+json/);

    const lying = await app.call('/api/v1/verifications', { method: 'POST', apiKey: 'demo-a-key', body: form([png('document', media.document), mp4(media.jpegAsMp4)]) });
    assert.equal(lying.status, 415);
    const problem = (await lying.json()) as { type: string; detail: string };
    assert.equal(problem.type, 'urn:vouch:problem:unsupported-media-type');
    assert.doesNotMatch(JSON.stringify(problem), /at .*\.js:\d+/);

    assert.equal((await app.call('/api/v1/verifications/whatever')).status, 401);
    const mine = await submit([png('document', media.document), png('selfie', media.sameSelfie)]);
    assert.equal((await app.call(`/api/v1/verifications/${mine}`, { apiKey: 'demo-b-key' })).status, 404);
  });
});
