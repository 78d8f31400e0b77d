/**
 * POST /api/v1/verifications/{id}/liveness-session over HTTP on the local runtime. Locally the
 * face provider is `local`, which has no liveness sessions: the route answers a clear 409.
 * The Azure path is covered against the recorded-contract stub in
 * tests/unit/shared/kyc/liveness-session.test.ts.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type E2eHost, startE2eHost } from '../support/e2e-host';

describe('POST /api/v1/verifications/{id}/liveness-session (local provider)', () => {
  let app: E2eHost;
  before(async () => {
    app = await startE2eHost({ FACE_PROVIDER: 'local' });
  });
  after(() => app?.stop());

  const post = (body?: string, apiKey: string | undefined = 'demo-a-key') =>
    app.call('/api/v1/verifications/v123/liveness-session', {
      method: 'POST',
      ...(apiKey ? { apiKey } : {}),
      ...(body === undefined ? {} : { body, headers: { 'content-type': 'application/json' } }),
    });

  it('should answer 409 liveness-session-unavailable naming FACE_PROVIDER=azure', async () => {
    for (const body of [undefined, JSON.stringify({ deviceCorrelationId: 'device-1' })]) {
      const response = await post(body);
      assert.equal(response.status, 409, await response.clone().text());
      const problem = (await response.json()) as { type: string; detail?: string; title?: string };
      assert.equal(problem.type, 'urn:vouch:problem:liveness-session-unavailable');
      assert.match(JSON.stringify(problem), /FACE_PROVIDER=azure/);
    }
  });

  it('should reject a malformed body with 400 and a missing API key with 401', async () => {
    assert.equal((await post(JSON.stringify({ deviceCorrelationId: 42 }))).status, 400);
    assert.equal((await post(JSON.stringify({ other: 'x' }))).status, 400);
    assert.equal((await post('{not json')).status, 400);
    assert.equal((await post(undefined, '')).status, 401);
  });
});
