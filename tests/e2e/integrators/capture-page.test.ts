/**
 * The reference capture page in a real headless Chromium (Debian's) against the app on the local
 * runtime: the tenant's backend makes a session with its API key, the page opened with the token
 * captures a document photo (a frame of the clip) and a selfie video from a fake camera fed with a
 * real video of a real person, uploads it with the session token and shows `approved`. A tenant whose
 * KYC policy requires a video challenge gets one on the page (fetched with the session token) while
 * recording, and the page shows what the server decided.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type Browser, chromium } from 'playwright-core';
import { type E2eHost, startE2eHost } from '../../support/e2e-host';
import { fakeCameraY4m, stillFrame } from '../../support/media-fixtures';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const repoRoot = path.resolve(__dirname, '..', '..', '..', '..');
const screenshots = path.join(repoRoot, 'docs', 'screenshots');

describe('capture page in headless Chromium (e2e)', { skip: existsSync(CHROMIUM) ? false : `no Chromium at ${CHROMIUM}` }, () => {
  let host: E2eHost;
  let browser: Browser;
  before(async () => {
    host = await startE2eHost();
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync',
        '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', `--use-file-for-fake-video-capture=${await fakeCameraY4m('grid_bbaf2n', 3)}`,
      ],
    });
  });
  after(async () => {
    await browser?.close();
    await host?.stop();
  });

  async function newSession(apiKey = 'demo-a-key', challengeRequired = false): Promise<string> {
    const response = await host.call('/api/v1/verifications/sessions', { method: 'POST', apiKey });
    assert.equal(response.status, 201);
    const body = (await response.json()) as { token: string; expiresAt: string; challengeRequired: boolean };
    assert.equal(body.challengeRequired, challengeRequired);
    return body.token;
  }

  /** A phone-sized page (the page must work there) with a fake camera, recording every request it sends. */
  async function phonePage() {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, permissions: ['camera'] });
    const page = await context.newPage();
    const requests: { url: string; method: string; session: string | undefined; apiKey: string | undefined }[] = [];
    page.on('request', (r) => requests.push({ url: r.url(), method: r.method(), session: r.headers()['x-session-token'], apiKey: r.headers()['x-api-key'] }));
    return { context, page, requests };
  }

  it('should capture, upload with the session token and show approved', async () => {
    const token = await newSession();
    const { context, page, requests } = await phonePage();
    const response = await page.goto(`${host.origin}/app/?session=${encodeURIComponent(token)}`);
    assert.match(response?.headers()['content-security-policy'] ?? '', /script-src 'self'/);
    assert.doesNotMatch(page.url(), /session=/, 'the token leaves the address bar');
    await page.getByText('Ready.').waitFor();

    await page.getByTestId('document-file').setInputFiles(await stillFrame('grid_bbaf2n', 0.3));
    await page.getByTestId('selfie-video-start').click();
    await page.waitForTimeout(3500);
    await page.getByTestId('selfie-video-stop').click();
    await page.getByText('Selfie video recorded').waitFor();
    assert.equal(await page.getByTestId('challenge').isHidden(), true, 'no challenge by default');
    await page.screenshot({ path: path.join(screenshots, 'capture-page-ready.png'), fullPage: true });

    await page.getByTestId('submit').click();
    await page.getByTestId('decision').filter({ hasText: /approved|declined|review|failed/ }).waitFor({ timeout: 240_000 });
    const decision = await page.getByTestId('decision').textContent();
    await page.screenshot({ path: path.join(screenshots, 'capture-page-approved.png'), fullPage: true });
    assert.match(decision ?? '', /approved/, `decision: ${decision}; reasons: ${await page.locator('#reasons').textContent()}`);

    const api = requests.filter((r) => r.url.includes('/api/v1/'));
    assert.ok(api.length >= 3);
    assert.ok(api.every((r) => r.session === token && r.apiKey === undefined && !r.url.includes(token)), 'token only in the header, never an API key');
    await context.close();
  });

  it('should show the challenge of a tenant that requires one, and the status the server decided', async () => {
    const demoB = await host.adminToken('demo-b');
    const put = await host.call('/api/v1/tenant/settings/kyc-policy', {
      method: 'PUT', token: demoB, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ requireVideoChallenge: true }),
    });
    assert.equal(put.status, 200);
    const token = await newSession('demo-b-key', true);
    const { context, page, requests } = await phonePage();
    // `/app` (no slash) redirects to the page with its query.
    await page.goto(`${host.origin}/app?session=${encodeURIComponent(token)}`);
    assert.equal(new URL(page.url()).pathname, '/app/');
    await page.getByText('Ready.').waitFor();
    assert.equal(await page.getByTestId('challenge').isVisible(), true, 'the requirement is announced before recording');
    assert.equal(await page.locator('#selfie-photo').isHidden(), true, 'no photo selfie when a video challenge is required');

    await page.getByTestId('document-file').setInputFiles(await stillFrame('grid_bbaf2n', 0.3));
    await page.getByTestId('selfie-video-start').click();
    await page.getByTestId('challenge').locator('li').first().waitFor();
    const shown = await page.getByTestId('challenge').textContent();
    assert.match(shown ?? '', /Turn your head to your (left|right)/);
    assert.equal(await page.getByTestId('challenge').isVisible(), true, 'the challenge is on screen while recording');
    await page.screenshot({ path: path.join(screenshots, 'capture-page-challenge.png'), fullPage: true });
    await page.waitForTimeout(3500);
    await page.getByTestId('selfie-video-stop').click();
    await page.getByText('Selfie video recorded').waitFor();

    await page.getByTestId('submit').click();
    await page.getByTestId('decision').filter({ hasText: /approved|declined|review|failed/ }).waitFor({ timeout: 240_000 });
    const decision = await page.getByTestId('decision').textContent();

    const challengeCall = requests.find((r) => r.url.endsWith('/api/v1/verifications/challenges'));
    assert.ok(challengeCall && challengeCall.method === 'POST' && challengeCall.session === token && challengeCall.apiKey === undefined, 'challenge fetched with the session token');
    const current = (await (await host.call('/api/v1/verifications/sessions/current', { headers: { 'x-session-token': token } })).json()) as { verificationId: string };
    const server = (await (await host.call(`/api/v1/verifications/${current.verificationId}`, { apiKey: 'demo-b-key' })).json()) as {
      status: string; decision?: { reasons: string[]; challenge?: { steps: string[] } };
    };
    assert.ok(decision?.endsWith(server.status), `page: ${decision}; server: ${server.status} ${JSON.stringify(server.decision?.reasons)}`);
    assert.ok(server.decision?.challenge, 'the verification was judged against the challenge');
    await context.close();
  });

  it('should let a session reach only its own verification, once', async () => {
    const token = await newSession();
    const headers = { 'x-session-token': token };
    assert.equal((await host.call('/api/v1/verifications/someone-elses', { headers })).status, 404);
    assert.equal((await host.call('/api/v1/privacy/erasures', { method: 'POST', headers })).status, 401, 'no other route takes a session');
    assert.equal((await host.call('/api/v1/verifications/sessions/current', { headers: { 'x-session-token': `${token.slice(0, -2)}xx` } })).status, 401);
    const current = await host.call('/api/v1/verifications/sessions/current', { headers });
    assert.deepEqual(await current.json().then((b) => (b as { verificationId: unknown }).verificationId), null);
    const challenge = await host.call('/api/v1/verifications/challenges', { method: 'POST', headers });
    assert.equal(challenge.status, 201, 'a session may fetch its challenge');
  });

  it('should render the API reference page', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${host.origin}/api/docs`);
    await page.getByText('Vouch API').first().waitFor({ timeout: 60_000 });
    await page.getByText('Webhooks').first().waitFor();
    await page.waitForTimeout(1500);
    await page.screenshot({ path: path.join(screenshots, 'api-reference.png') });
    assert.deepEqual(errors, []);
    await context.close();
  });
});
