/**
 * The review desk end to end through the local runtime: a real upload the policy sends to
 * `review` (a document photo with no face, a video selfie), the queue as a tenant's reviewer and as
 * a platform operator, the evidence with working media links, the decision (two at once: one wins),
 * the `verification.completed` webhook with `reviewed: true` at a local HTTP receiver, the audit
 * trail, the tenant's GET, and the refusals (another tenant's reviewer 404, other roles 403).
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import { signLocalToken, type Role } from '../../../shared/auth';
import { tenantStore } from '../../../shared/wiring/auth';
import { eventually } from '../../support/eventually';
import { type E2eHost, mp4, png, startE2eHost, type VerificationView } from '../../support/e2e-host';
import { transcodedClip } from '../../support/media-fixtures';

interface ReceivedWebhook {
  id: string;
  type: string;
  data: { verificationId: string; status: string; outcome?: string; reviewed?: boolean; reasons: string[] };
}

describe('review desk end to end', () => {
  let app: E2eHost;
  let receiver: Server;
  const received: ReceivedWebhook[] = [];
  let caseId: string;
  let documentBytes: Buffer;

  const token = (tenantId: string, roles: Role[], subject = 'rita') =>
    signLocalToken({
      secret: app.settings.LOCAL_JWT_SECRET ?? '',
      issuer: app.settings.JWT_ISSUER ?? '',
      audience: app.settings.JWT_AUDIENCE ?? '',
      subject,
      tenantId,
      roles,
    });

  before(async () => {
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      req.on('end', () => {
        received.push(JSON.parse(body) as ReceivedWebhook);
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const [host, video] = await Promise.all([startE2eHost(), readFile(await transcodedClip('grid_bbaf2n', 'mp4'))]);
    app = host;
    // demo-a's default webhook endpoint (no callbackUrl on the upload): the local receiver.
    const tenants = await tenantStore();
    const tenant = await tenants.get('demo-a');
    assert.ok(tenant?.webhook);
    await tenants.put({ ...tenant, webhook: { ...tenant.webhook, url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks` } });

    // A document photo without a face: the policy cannot match it, so the case goes to review.
    documentBytes = await sharp({ create: { width: 480, height: 320, channels: 3, background: '#3a6ea5' } }).png().toBuffer();
    const response = await app.submit([png('document', documentBytes), mp4(video)]);
    assert.equal(response.status, 202, await response.clone().text());
    caseId = ((await response.json()) as { id: string }).id;
    // Polls that fail while the face engine holds the event loop (a known gap the worker pool closes) are retried.
    const decided = await eventually(
      async () => {
        const view = (await (await app.call(`/api/v1/verifications/${caseId}`, { apiKey: 'demo-a-key' })).json()) as VerificationView;
        return ['pending', 'processing'].includes(view.status) ? undefined : view;
      },
      'the policy decision',
      { timeoutMs: 180_000, pollMs: 500, retryErrors: true },
    );
    assert.equal(decided.status, 'review', JSON.stringify(decided));
    assert.ok(decided.decision?.reasons.includes('NO_FACE_IN_DOCUMENT'), JSON.stringify(decided));
  });
  after(async () => {
    await app?.stop();
    await new Promise((resolve) => receiver?.close(resolve));
  });

  it("lists the case for the tenant's reviewer and platform operators, not for another tenant's reviewer", async () => {
    const list = async (tok: string, query = '') => {
      const response = await app.call(`/api/v1/review/verifications${query}`, { token: tok });
      const text = await response.text();
      assert.equal(response.status, 200, text);
      return JSON.parse(text) as { items: { id: string; tenantId: string; reasons: string[]; selfieKind: string; overdue: boolean }[] };
    };
    const own = await list(await token('demo-a', ['reviewer']));
    const item = own.items.find((i) => i.id === caseId);
    assert.ok(item, JSON.stringify(own));
    assert.equal(item.tenantId, 'demo-a');
    assert.equal(item.selfieKind, 'video');
    assert.equal(item.overdue, false);
    assert.ok((await list(await token('demo-a', ['reviewer']), '?reason=NO_FACE_IN_DOCUMENT')).items.some((i) => i.id === caseId));
    assert.ok(!(await list(await token('demo-a', ['reviewer']), '?reason=FACE_MISMATCH')).items.some((i) => i.id === caseId));
    assert.ok(!(await list(await token('demo-a', ['reviewer']), '?olderThanMinutes=60')).items.some((i) => i.id === caseId));
    assert.ok(!(await list(await token('demo-b', ['reviewer']))).items.some((i) => i.id === caseId));
    assert.ok((await list(await token('platform', ['operator'], 'olga'))).items.some((i) => i.id === caseId && i.tenantId === 'demo-a'));
    assert.ok((await list(await token('platform', ['operator'], 'olga'), '?tenantId=demo-a')).items.some((i) => i.id === caseId));

    const bad = await app.call('/api/v1/review/verifications?reason=NOT_A_REASON&limit=0', { token: await token('demo-a', ['reviewer']) });
    assert.equal(bad.status, 400);
    assert.match(bad.headers.get('content-type') ?? '', /application\/problem\+json/);
  });

  it('refuses other roles and API keys with 403, and hides the case from another tenant with 404', async () => {
    for (const tok of [await token('demo-a', ['support']), await token('demo-a', ['admin']), await token('platform', ['trader'])]) {
      assert.equal((await app.call('/api/v1/review/verifications', { token: tok })).status, 403);
      assert.equal((await app.call(`/api/v1/review/verifications/${caseId}`, { token: tok })).status, 403);
    }
    assert.equal((await app.call('/api/v1/review/verifications', { apiKey: 'demo-a-key' })).status, 403);
    const demoB = await token('demo-b', ['reviewer']);
    assert.equal((await app.call(`/api/v1/review/verifications/${caseId}`, { token: demoB })).status, 404);
    const decideAsB = await app.call(`/api/v1/review/verifications/${caseId}/decision`, {
      method: 'POST',
      token: demoB,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ outcome: 'approved' }),
    });
    assert.equal(decideAsB.status, 404);
  });

  it('shows the evidence with per-frame findings and media links that work', async () => {
    const response = await app.call(`/api/v1/review/verifications/${caseId}`, { token: await token('demo-a', ['reviewer']) });
    const text = await response.text();
    assert.equal(response.status, 200, text);
    assert.equal(response.headers.get('cache-control'), 'no-store');
    const view = JSON.parse(text) as {
      status: string;
      decision: { outcome: string; reasons: string[] };
      evidence: { document: { faceCount: number }; selfie: { kind: string; frames: number } } | null;
      frames: { index: number; findings: { faceCount: number } | null; url: string | null }[];
      media: { expiresAt: string; document: { url: string; contentType: string }; selfie: { url: string; kind: string } };
    };
    assert.equal(view.status, 'review');
    assert.equal(view.decision.outcome, 'review');
    assert.ok(view.decision.reasons.includes('NO_FACE_IN_DOCUMENT'));
    assert.equal(view.evidence?.document.faceCount, 0);
    assert.equal(view.evidence?.selfie.kind, 'video');
    assert.ok(view.frames.length >= 1 && view.frames.length === view.evidence?.selfie.frames, text);
    assert.ok(view.frames.every((f) => f.findings !== null && f.url !== null), 'each frame has its findings and its picture');
    assert.ok(Date.parse(view.media.expiresAt) > Date.now());

    // The links are read-only SAS URLs that work without any other credential.
    const document = await fetch(view.media.document.url);
    assert.equal(document.status, 200);
    assert.deepEqual(Buffer.from(await document.arrayBuffer()), documentBytes);
    const frame = await fetch(view.frames[0]!.url!);
    assert.equal(frame.status, 200);
    assert.equal(frame.headers.get('content-type'), 'image/jpeg');
    const write = await fetch(view.media.document.url, { method: 'PUT', headers: { 'x-ms-blob-type': 'BlockBlob' }, body: 'x' });
    assert.equal(write.status, 403, 'read-only');
  });

  it('settles the case once: one of two concurrent decisions wins, the webhook says reviewed, the audit shows who', async () => {
    const reviewer = await token('demo-a', ['reviewer']);
    const decide = (body: unknown) =>
      app.call(`/api/v1/review/verifications/${caseId}/decision`, {
        method: 'POST',
        token: reviewer,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const invalid = await decide({ outcome: 'maybe' });
    assert.equal(invalid.status, 400);
    assert.equal(((await invalid.json()) as { type: string }).type, 'urn:vouch:problem:validation-failed');

    const [first, second] = await Promise.all([
      decide({ outcome: 'approved', note: 'Document scan without portrait; selfie matches the ID on file' }),
      decide({ outcome: 'declined', note: 'second opinion' }),
    ]);
    const statuses = [first.status, second.status].sort();
    assert.deepEqual(statuses, [200, 409], `${await first.clone().text()} ${await second.clone().text()}`);
    const winner = first.status === 200 ? first : second;
    const settled = (await winner.json()) as { status: string; review: { outcome: string; reviewer: string; decidedAt: string } };
    assert.equal(settled.review.outcome, settled.status);
    assert.equal(settled.review.reviewer, 'user:rita');

    const again = await decide({ outcome: 'approved' });
    assert.equal(again.status, 409);
    assert.equal(((await again.json()) as { type: string }).type, 'urn:vouch:problem:review-already-decided');

    // The API key owner's GET shows the person's decision.
    const view = await app.waitForDecision(caseId);
    assert.equal(view.status, settled.status);
    assert.deepEqual((view as unknown as { review: unknown }).review, settled.review);

    const hook = await eventually(async () => received.find((w) => w.data.verificationId === caseId && w.data.reviewed === true), 'the reviewed webhook');
    assert.equal(hook.type, 'verification.completed');
    assert.equal(hook.data.status, settled.status);
    assert.equal(hook.data.outcome, settled.status);
    assert.ok(hook.data.reasons.includes('NO_FACE_IN_DOCUMENT'));

    const trail = await app.call(`/api/v1/audit?targetId=${caseId}`, { token: await app.adminToken('demo-a') });
    const { items } = (await trail.json()) as { items: { action: string; actor: string; detail?: string; outcome: string }[] };
    const decision = items.find((e) => e.action === 'review.decide');
    assert.ok(decision, JSON.stringify(items));
    assert.equal(decision.actor, 'user:rita');
    assert.equal(decision.detail, settled.status);
    assert.ok(items.some((e) => e.action === 'review.read'), 'the evidence read is audited too');

    // Settled cases leave the queue; the evidence stays readable with the decision.
    const list = (await (await app.call('/api/v1/review/verifications', { token: reviewer })).json()) as { items: { id: string }[] };
    assert.ok(!list.items.some((i) => i.id === caseId));
    const evidence = (await (await app.call(`/api/v1/review/verifications/${caseId}`, { token: reviewer })).json()) as { review?: { outcome: string } };
    assert.equal(evidence.review?.outcome, settled.status);
  });

  it('erases a settled case with everything on it: evidence, decision and note', async () => {
    const erase = await app.call(`/api/v1/verifications/${caseId}`, { method: 'DELETE', apiKey: 'demo-a-key' });
    assert.equal(erase.status, 202, await erase.clone().text());
    const gone = await eventually(
      async () => {
        const response = await app.call(`/api/v1/verifications/${caseId}`, { apiKey: 'demo-a-key' });
        return response.status === 410 ? ((await response.json()) as Record<string, unknown>) : undefined;
      },
      'the erasure',
      { timeoutMs: 60_000, pollMs: 250, retryErrors: true },
    );
    assert.deepEqual(Object.keys(gone).sort(), ['erasedAt', 'id', 'status']);
    assert.equal((await app.call(`/api/v1/review/verifications/${caseId}`, { token: await token('demo-a', ['reviewer']) })).status, 404);
  });

  it('runs the review timers (overdue metric, announcement re-drive)', async () => {
    for (const name of ['reportOverdueReviews', 'redriveReviewAnnouncements']) {
      const run = await fetch(`${app.origin}/admin/functions/${name}?wait=true`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      assert.equal(run.status, 200, await run.clone().text());
      assert.equal(((await run.json()) as { outcome: string }).outcome, 'Succeeded');
    }
  });
});
