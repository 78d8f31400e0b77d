/**
 * The reference capture page in a real headless Chromium (Debian's) against the app on the local
 * runtime: the tenant's backend makes a session with its API key, the page opened with the token
 * captures a document photo (a frame of the clip) and a selfie video from a fake camera fed with a
 * real video of a real person, uploads it with the session token and shows `approved`.
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

  async function newSession(): Promise<string> {
    const response = await host.call('/api/v1/verifications/sessions', { method: 'POST', apiKey: 'demo-a-key' });
    assert.equal(response.status, 201);
    const body = (await response.json()) as { token: string; expiresAt: string; challenge: unknown };
    assert.equal(body.challenge, null);
    return body.token;
  }

  it('should capture, upload with the session token and show approved', async () => {
    const token = await newSession();
    // A phone-sized viewport: the page must work there.
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, permissions: ['camera'] });
    const page = await context.newPage();
    const requests: { url: string; session: string | undefined; apiKey: string | undefined }[] = [];
    page.on('request', (r) => requests.push({ url: r.url(), session: r.headers()['x-session-token'], apiKey: r.headers()['x-api-key'] }));
    const response = await page.goto(`${host.origin}/api/app/?session=${encodeURIComponent(token)}`);
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

  it('should let a session reach only its own verification, once', async () => {
    const token = await newSession();
    const headers = { 'x-session-token': token };
    assert.equal((await host.call('/api/v1/verifications/someone-elses', { headers })).status, 404);
    assert.equal((await host.call('/api/v1/privacy/erasures', { method: 'POST', headers })).status, 401, 'no other route takes a session');
    assert.equal((await host.call('/api/v1/verifications/sessions/current', { headers: { 'x-session-token': `${token.slice(0, -2)}xx` } })).status, 401);
    const current = await host.call('/api/v1/verifications/sessions/current', { headers });
    assert.deepEqual(((await current.json()) as { verificationId: unknown }).verificationId, null);
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
