/**
 * Active challenges and the tenant KYC policy on the real Cosmos server and Azurite: issue,
 * single use, expiry, tenant scope, the upload's `challengeId`, and the policy's enforcement.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DomainError } from '../../../shared/errors';
import { createChallengeStore } from '../../../shared/kyc/challenges/challenge-store';
import { consumeChallenge, issueChallenge, type ChallengeDeps } from '../../../shared/kyc/challenges/issue-challenge';
import { createVerificationApi } from '../../../shared/kyc/create-verification';
import { createIdempotencyStore } from '../../../shared/kyc/idempotency-store';
import { createKycPolicyStore, type KycPolicyStore } from '../../../shared/kyc/kyc-policy';
import { readFile } from 'node:fs/promises';
import { openTestCosmos, type TestCosmos } from '../../support/test-cosmos';
import { transcodedClip } from '../../support/media-fixtures';
import { createInput, harness, type Harness } from './kyc-harness';
import { startLocalServices, suffix, type LocalServices } from './local-services';
import { formRequest, jpeg } from './multipart-bodies';

let services: LocalServices;
let h: Harness;
let challenges: ChallengeDeps;
let policies: KycPolicyStore;
let cosmos: TestCosmos;

before(async () => {
  services = await startLocalServices();
  h = await harness(services);
  challenges = { challenges: createChallengeStore(await services.cosmosContainer('kyc-challenges')), clock: h.clock };
  cosmos = await openTestCosmos();
  const { database } = await cosmos.client.databases.createIfNotExists({ id: `policy-${suffix()}` });
  const { container } = await database.containers.createIfNotExists({ id: 'settings', partitionKey: { paths: ['/id'] } });
  policies = createKycPolicyStore(container, { cacheMs: 0 });
});
after(async () => {
  await cosmos?.close();
  await services?.stop();
});

const problem = (code: string, status: number) => (e: unknown) => {
  assert.ok(e instanceof DomainError, String(e));
  assert.equal(e.code, code);
  assert.equal(e.status, status);
  return true;
};

/** The POST API with challenges and the policy wired, as shared/wiring/kyc.ts does. */
const api = () => createVerificationApi({
  verifications: h.verifications, idempotency: createIdempotencyStore(h.idempotencyContainer), blobs: h.blobs,
  queueDepth: { activeMessageCount: async () => 0 }, settings: h.settings, clock: h.clock, challenges, kycPolicy: policies.get,
  newId: () => `v${suffix()}`,
});

async function videoParts(fields: Array<{ name: string; value: string }> = []) {
  const video = await readFile(await transcodedClip('grid_bbaf2n', 'mp4'));
  return formRequest([{ name: 'document', file: await jpeg(320, 240) }, { name: 'selfieVideo', file: video, type: 'video/mp4' }, ...fields]);
}

describe('active liveness challenges', () => {
  it('should issue a two-minute challenge of alternating head turns, with instructions', async () => {
    const c = await issueChallenge(h.tenantId, challenges);
    assert.match(c.id, /^[0-9a-f-]{36}$/);
    assert.equal(Date.parse(c.expiresAt) - h.clock.now().getTime(), 120_000);
    assert.ok(c.steps.length >= 2 && c.steps.every((s) => s === 'turn-left' || s === 'turn-right'));
    assert.match(c.instructions, /turn your head/);
  });

  it('should be used once, by one verification, within its tenant and lifetime', async () => {
    const c = await issueChallenge(h.tenantId, challenges);
    assert.deepEqual(await consumeChallenge(h.tenantId, c.id, 'v1', challenges), { id: c.id, steps: c.steps });
    assert.deepEqual(await consumeChallenge(h.tenantId, c.id, 'v1', challenges), { id: c.id, steps: c.steps }, 'a retried upload of v1');
    await assert.rejects(consumeChallenge(h.tenantId, c.id, 'v2', challenges), problem('challenge-used', 409));
    const other = await issueChallenge(h.tenantId, challenges);
    await assert.rejects(consumeChallenge(`${h.tenantId}x`, other.id, 'v3', challenges), problem('challenge-not-found', 400));
    h.clock.advance(121_000);
    await assert.rejects(consumeChallenge(h.tenantId, other.id, 'v3', challenges), problem('challenge-expired', 400));
  });

  it('should record the challenge on a video verification that carries its id, and refuse a second use', async () => {
    const c = await issueChallenge(h.tenantId, { ...challenges, chooseSteps: () => ['turn-left'] });
    const created = await api().create(createInput(h.tenantId, await videoParts([{ name: 'challengeId', value: c.id }])));
    const record = await h.verifications.get(h.tenantId, created.id);
    assert.deepEqual(record?.challenge, { id: c.id, steps: ['turn-left'] });
    await assert.rejects(api().create(createInput(h.tenantId, await videoParts([{ name: 'challengeId', value: c.id }]))), problem('challenge-used', 409));
  });

  it('should refuse a challenge with a photo selfie', async () => {
    const c = await issueChallenge(h.tenantId, challenges);
    const request = await formRequest([{ name: 'document', file: await jpeg(320, 240) }, { name: 'selfie', file: await jpeg(320, 240) }, { name: 'challengeId', value: c.id }]);
    await assert.rejects(api().create(createInput(h.tenantId, request)), problem('challenge-needs-video', 400));
  });
});

describe('tenant KYC policy', () => {
  it('should default to no challenge required and photo auto-approval allowed', async () => {
    assert.deepEqual(await policies.get(`t${suffix()}`), { requireVideoChallenge: false, allowPhotoAutoApprove: true });
  });

  it('should store each tenant\'s own policy and reject unknown or malformed fields', async () => {
    const tenant = `t${suffix()}`;
    assert.deepEqual(await policies.put(tenant, { requireVideoChallenge: true }, 'user:alice'), { requireVideoChallenge: true, allowPhotoAutoApprove: true });
    assert.deepEqual(await policies.get(tenant), { requireVideoChallenge: true, allowPhotoAutoApprove: true });
    assert.equal((await policies.get(`${tenant}x`)).requireVideoChallenge, false, 'another tenant keeps the default');
    await assert.rejects(policies.put(tenant, { requireVideoChallenge: 'yes' }, 'user:alice'), problem('validation-failed', 400));
    await assert.rejects(policies.put(tenant, { allowPhotoAutoApprov: false }, 'user:alice'), problem('validation-failed', 400));
  });

  it('should refuse a video without a challenge when the tenant requires one, leaving nothing stored', async () => {
    await policies.put(h.tenantId, { requireVideoChallenge: true }, 'user:alice');
    try {
      await assert.rejects(api().create(createInput(h.tenantId, await videoParts())), problem('challenge-required', 400));
      const photo = await formRequest([{ name: 'document', file: await jpeg(320, 240) }, { name: 'selfie', file: await jpeg(320, 240) }]);
      assert.equal((await api().create(createInput(h.tenantId, photo))).status, 'pending', 'photo selfies are not affected');
    } finally {
      await policies.put(h.tenantId, {}, 'user:alice');
    }
  });
});
