/**
 * Active challenges and the tenant KYC policy over HTTP on the local runtime: the routes, who may
 * call them, and the policy's effect on a real photo verification (real engine).
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import { stillFrame, transcodedClip } from '../../support/media-fixtures';
import { type E2eHost, mp4, png, startE2eHost } from '../../support/e2e-host';

describe('liveness challenges and the tenant KYC policy over HTTP', () => {
  let app: E2eHost;
  before(async () => {
    app = await startE2eHost();
  });
  after(() => app?.stop());

  const policy = async (tenant: string, init: RequestInit = {}) =>
    app.call('/api/v1/tenant/settings/kyc-policy', { ...init, token: await app.adminToken(tenant), headers: { 'content-type': 'application/json' } });

  it('should issue a challenge to an API key and refuse anonymous callers', async () => {
    const response = await app.call('/api/v1/verifications/challenges', { method: 'POST', apiKey: 'demo-a-key' });
    const text = await response.text();
    assert.equal(response.status, 201, text);
    const body = JSON.parse(text) as { id: string; expiresAt: string; steps: string[]; instructions: string };
    assert.ok(body.id && body.instructions && body.steps.length >= 2, text);
    assert.ok(Date.parse(body.expiresAt) > Date.now());
    assert.equal((await app.call('/api/v1/verifications/challenges', { method: 'POST' })).status, 401);
  });

  it('should let a tenant admin read and replace only that tenant\'s policy', async () => {
    const initial = await policy('demo-b');
    assert.equal(initial.status, 200);
    assert.deepEqual(await initial.json(), { requireVideoChallenge: false, allowPhotoAutoApprove: true });
    const put = await policy('demo-b', { method: 'PUT', body: JSON.stringify({ allowPhotoAutoApprove: false }) });
    assert.equal(put.status, 200, await put.clone().text());
    assert.deepEqual(await (await policy('demo-b')).json(), { requireVideoChallenge: false, allowPhotoAutoApprove: false });
    assert.deepEqual(await (await policy('demo-a')).json(), { requireVideoChallenge: false, allowPhotoAutoApprove: true }, 'demo-a unchanged');
    assert.equal((await policy('demo-b', { method: 'PUT', body: JSON.stringify({ allowPhotoAutoApprove: 'no' }) })).status, 400);
    assert.equal((await app.call('/api/v1/tenant/settings/kyc-policy', { apiKey: 'demo-b-key' })).status, 403);
  });

  it('should send a photo selfie that would be approved to review when the tenant disallows photo auto-approval', async () => {
    await policy('demo-b', { method: 'PUT', body: JSON.stringify({ allowPhotoAutoApprove: false }) });
    const [document, selfie] = await Promise.all([readFile(await stillFrame('grid_bbaf2n', 0.3)), readFile(await stillFrame('grid_bbaf2n', 2.5))]);
    const response = await app.submit([png('document', document), png('selfie', selfie)], { apiKey: 'demo-b-key' });
    assert.equal(response.status, 202, await response.clone().text());
    const { id } = (await response.json()) as { id: string };
    const view = await app.waitForDecision(id, { apiKey: 'demo-b-key', timeoutMs: 120_000 });
    assert.equal(view.status, 'review', JSON.stringify(view));
    assert.deepEqual(view.decision?.reasons, ['PHOTO_AUTO_APPROVE_DISABLED']);
  });

  it('should refuse a video without a challenge when the tenant requires one', async () => {
    await policy('demo-b', { method: 'PUT', body: JSON.stringify({ requireVideoChallenge: true }) });
    const document = await readFile(await stillFrame('grid_bbaf2n', 0.3));
    const video = await readFile(await transcodedClip('grid_bbaf2n', 'mp4'));
    const response = await app.submit([png('document', document), mp4(video)], { apiKey: 'demo-b-key' });
    assert.equal(response.status, 400, await response.clone().text());
    assert.equal(((await response.json()) as { type: string }).type, 'urn:vouch:problem:challenge-required');
  });
});
