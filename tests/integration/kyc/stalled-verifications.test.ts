import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { manifestBlobName } from '../../../shared/kyc/blob-names';
import { onFacesMessage, onMediaUploaded } from '../../../shared/kyc/pipeline';
import { cosmosStalledQuery, failStalledVerifications, type StalledQuery } from '../../../shared/kyc/stalled-verifications';
import { formRequest, jpeg, png } from './multipart-bodies';
import { createInput, harness, type Harness } from './kyc-harness';
import { startLocalServices, type LocalServices } from './local-services';

let services: LocalServices;
let h: Harness;
let stalled: StalledQuery;
before(async () => {
  services = await startLocalServices();
  h = await harness(services, { stalledAfterMinutes: 30 });
  stalled = cosmosStalledQuery(h.verificationsContainer);
});
after(async () => services?.stop());

async function postPhoto(): Promise<string> {
  const parts = [
    { name: 'document', file: await jpeg(320, 240) },
    { name: 'selfie', file: await png(320, 240) },
  ];
  return (await h.api.create(createInput(h.tenantId, await formRequest(parts)))).id;
}
const minutes = (n: number) => h.clock.advance(n * 60_000);

describe('stalled verification watchdog', () => {
  it('should fail only what stayed unfinished past the limit, announce it, and do nothing the second time', async () => {
    const lost = await postPhoto(); // its manifest trigger "gave up": stays pending
    minutes(10);
    const recent = await postPhoto();
    const decided = await postPhoto();
    await onMediaUploaded(`kyc-media/${manifestBlobName(h.tenantId, decided)}`, h.pipeline);
    await onFacesMessage({ tenantId: h.tenantId, verificationId: decided }, h.pipeline);
    minutes(25);

    assert.deepEqual(await failStalledVerifications(stalled, h.pipeline), { failed: 1 });
    const view = await h.api.get(h.tenantId, lost);
    assert.equal(view.status, 'failed');
    assert.equal(view.failureReason, 'PROCESSING_FAILED');
    assert.equal((await h.api.get(h.tenantId, recent)).status, 'pending');
    assert.equal((await h.api.get(h.tenantId, decided)).status, 'approved');

    assert.deepEqual(await failStalledVerifications(stalled, h.pipeline), { failed: 0 });
  });
});
