import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ManualClock } from '../../../../shared/platform/clock';
import {
  REDRIVE_GRACE_MS,
  redriveErasure,
  redrivePendingErasures,
  type ErasureOrchestrationClient,
} from '../../../../shared/privacy/erasure-redrive';
import { subjectErasureInstanceId } from '../../../../shared/privacy/subject-erasure';

/** The durable client as the local runtime answers it: 404 for unknown ids, 409 over a live instance. */
class InstanceTable implements ErasureOrchestrationClient {
  readonly instances = new Map<string, { status: string; input: unknown; starts: number }>();
  async startNew(_name: string, options: { instanceId: string; input: unknown }): Promise<string> {
    const existing = this.instances.get(options.instanceId);
    if (existing && ['Running', 'Pending', 'Suspended'].includes(existing.status)) {
      throw new Error(`409: An instance with ID '${options.instanceId}' already exists.`);
    }
    this.instances.set(options.instanceId, { status: 'Pending', input: options.input, starts: (existing?.starts ?? 0) + 1 });
    return options.instanceId;
  }
  async getStatus(instanceId: string) {
    const found = this.instances.get(instanceId);
    if (!found) throw new Error(`DurableClient error: Durable Functions extension replied with HTTP 404 response.`);
    return { runtimeStatus: found.status };
  }
  set(ref: { erasureId: string }, status: string): void {
    this.instances.set(subjectErasureInstanceId({ tenantId: 't', ...ref }), { status, input: undefined, starts: 1 });
  }
}

const ref = { tenantId: 'demo-a', erasureId: 'e1' };
const id = subjectErasureInstanceId(ref);

describe('redriveErasure', () => {
  it('it should start a missing orchestration with ids only', async () => {
    const table = new InstanceTable();
    assert.equal(await redriveErasure(table, 'subjectErasure', ref), 'started');
    assert.deepEqual(table.instances.get(id), { status: 'Pending', input: { tenantId: 'demo-a', erasureId: 'e1' }, starts: 1 });
  });

  for (const status of ['Failed', 'Terminated', 'Canceled']) {
    it(`it should restart an orchestration that ended ${status}`, async () => {
      const table = new InstanceTable();
      table.set(ref, status);
      assert.equal(await redriveErasure(table, 'subjectErasure', ref), 'restarted');
      assert.equal(table.instances.get(id)?.starts, 2);
    });
  }

  for (const status of ['Pending', 'Running', 'Suspended', 'ContinuedAsNew', 'Completed']) {
    it(`it should leave an orchestration that is ${status} alone`, async () => {
      const table = new InstanceTable();
      table.set(ref, status);
      assert.equal(await redriveErasure(table, 'subjectErasure', ref), 'skipped');
      assert.equal(table.instances.get(id)?.starts, 1);
    });
  }

  it('it should skip when another starter wins the race (409)', async () => {
    const table = new InstanceTable();
    const racing: ErasureOrchestrationClient = {
      getStatus: (instanceId) => table.getStatus(instanceId),
      startNew: async (name, options) => {
        table.set(ref, 'Running');
        return table.startNew(name, options);
      },
    };
    assert.equal(await redriveErasure(racing, 'subjectErasure', ref), 'skipped');
  });

  it('it should pass on any other client error', async () => {
    const broken: ErasureOrchestrationClient = {
      getStatus: async () => {
        throw new Error('HTTP 500 from the extension');
      },
      startNew: async () => 'x',
    };
    await assert.rejects(redriveErasure(broken, 'subjectErasure', ref), /500/);
  });
});

describe('redrivePendingErasures', () => {
  it('it should ask for pending erasures older than the grace period and re-drive only the lost ones', async () => {
    const clock = new ManualClock(new Date('2026-11-23T12:00:00.000Z'));
    const asked: Array<{ before: string; limit: number }> = [];
    const pending = [
      { tenantId: 'demo-a', erasureId: 'lost' },
      { tenantId: 'demo-a', erasureId: 'failed' },
      { tenantId: 'demo-b', erasureId: 'skipped' },
    ];
    const table = new InstanceTable();
    table.set({ erasureId: 'failed' }, 'Failed');
    table.set({ erasureId: 'skipped' }, 'Running');
    const report = await redrivePendingErasures(
      {
        erasures: {
          pendingBefore: async (before, limit) => (asked.push({ before, limit }), pending),
        },
        client: table,
        clock,
        orchestration: 'subjectErasure',
      },
      50,
    );
    assert.deepEqual(asked, [{ before: new Date(clock.now().getTime() - REDRIVE_GRACE_MS).toISOString(), limit: 50 }]);
    assert.equal(report.pending, 3);
    assert.deepEqual(report.redriven, [
      { tenantId: 'demo-a', erasureId: 'lost', outcome: 'started' },
      { tenantId: 'demo-a', erasureId: 'failed', outcome: 'restarted' },
    ]);
  });
});
