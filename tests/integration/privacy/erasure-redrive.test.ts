import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { REDRIVE_GRACE_MS, redrivePendingErasures, type ErasureOrchestrationClient } from '../../../shared/privacy/erasure-redrive';
import { anonymiseSubjectOrders, completeSubjectErasure, createSubjectErasure, eraseSubjectVerifications, subjectErasureInstanceId } from '../../../shared/privacy/subject-erasure';
import { startLocalServices, suffix, type LocalServices } from '../kyc/local-services';
import { privacyHarness, type PrivacyHarness } from './privacy-harness';

let services: LocalServices;
let h: PrivacyHarness;
before(async () => {
  services = await startLocalServices();
  h = await privacyHarness(services);
});
after(async () => services?.stop());

/** A durable client whose `startNew` runs the orchestration's three activities in order, like the real one would. */
class RunningClient implements ErasureOrchestrationClient {
  readonly started: string[] = [];
  readonly statuses = new Map<string, string>();
  async getStatus(instanceId: string) {
    const status = this.statuses.get(instanceId);
    if (!status) throw new Error('DurableClient error: Durable Functions extension replied with HTTP 404 response.');
    return { runtimeStatus: status };
  }
  async startNew(_name: string, options: { instanceId: string; input: unknown }): Promise<string> {
    const ref = options.input as { tenantId: string; erasureId: string };
    this.started.push(ref.erasureId);
    await eraseSubjectVerifications(h.subject, ref);
    await anonymiseSubjectOrders(h.subject, ref);
    await completeSubjectErasure(h.subject, ref);
    this.statuses.set(options.instanceId, 'Completed');
    return options.instanceId;
  }
}

describe('erasure re-drive', () => {
  it('it should find only pending erasures past the grace period and finish the lost ones', async () => {
    const at = (minutesAgo: number) => ({ ...h.subject, clock: { now: () => new Date(h.clock.now().getTime() - minutesAgo * 60_000) } });
    const subjectRef = `lost-${suffix()}`;
    const verificationId = await h.postPhoto(subjectRef);
    const lost = { tenantId: h.tenantId, erasureId: `lost-${suffix()}` };
    const failed = { tenantId: h.tenantId, erasureId: `failed-${suffix()}` };
    const fresh = { tenantId: h.tenantId, erasureId: `fresh-${suffix()}` };
    const done = { tenantId: h.tenantId, erasureId: `done-${suffix()}` };
    await createSubjectErasure(at(60), { ...lost, subjectRef });
    await createSubjectErasure(at(30), { ...failed, subjectRef: `other-${suffix()}` });
    await createSubjectErasure(at(REDRIVE_GRACE_MS / 60_000 / 2), { ...fresh, subjectRef: `fresh-${suffix()}` });
    await createSubjectErasure(at(90), { ...done, subjectRef: `done-${suffix()}` });
    await completeSubjectErasure(h.subject, done);

    assert.deepEqual(
      await h.subject.erasures.pendingBefore(new Date(h.clock.now().getTime() - REDRIVE_GRACE_MS).toISOString(), 10),
      [lost, failed],
      'oldest first; neither the fresh nor the completed one',
    );
    assert.deepEqual(await h.subject.erasures.pendingBefore(h.clock.now().toISOString(), 1), [lost], 'at most `limit`');

    const client = new RunningClient();
    client.statuses.set(subjectErasureInstanceId(failed), 'Failed');
    const deps = { erasures: h.subject.erasures, client, clock: h.clock, orchestration: 'subjectErasure' };
    const report = await redrivePendingErasures(deps, 10);
    assert.equal(report.pending, 2);
    assert.deepEqual(report.redriven, [
      { ...lost, outcome: 'started' },
      { ...failed, outcome: 'restarted' },
    ]);
    const closed = await h.subject.erasures.get(h.tenantId, lost.erasureId);
    assert.equal(closed?.status, 'completed');
    assert.equal(JSON.stringify(closed).includes(subjectRef), false, 'the raw subjectRef is gone');
    assert.equal((await h.verifications.lookup(h.tenantId, verificationId))?.kind, 'erased');

    const again = await redrivePendingErasures(deps, 10);
    assert.deepEqual(again, { pending: 0, redriven: [] }, 'a second pass finds nothing');
  });
});
