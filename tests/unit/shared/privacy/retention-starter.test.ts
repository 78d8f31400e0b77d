import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { retentionInstanceId, type RetentionInput } from '../../../../shared/privacy/retention-plan';
import { requestRetentionErasure, startRetention, type RetentionClient } from '../../../../shared/privacy/retention-starter';

/** The durable client's contract as the local runtime answers it: 404 for unknown ids, 409 for a running duplicate. */
class InstanceTable implements RetentionClient {
  readonly instances = new Map<string, { status: string; input: unknown }>();
  readonly events: Array<{ instanceId: string; name: string }> = [];
  async startNew(_name: string, options: { instanceId: string; input: unknown }): Promise<string> {
    const existing = this.instances.get(options.instanceId);
    if (existing && ['Running', 'Pending'].includes(existing.status)) throw new Error(`409: An instance with ID '${options.instanceId}' already exists.`);
    this.instances.set(options.instanceId, { status: 'Running', input: options.input });
    return options.instanceId;
  }
  async getStatus(instanceId: string) {
    const found = this.instances.get(instanceId);
    if (!found) throw new Error(`Webhook returned status code 404: instance ${instanceId} not found`);
    return { runtimeStatus: found.status };
  }
  async raiseEvent(instanceId: string, name: string): Promise<void> {
    this.events.push({ instanceId, name });
  }
}

const input: RetentionInput = {
  tenantId: 'demo-a',
  verificationId: 'v1',
  mediaExpiresAt: '2026-11-30T12:00:00.000Z',
  recordExpiresAt: '2027-02-21T12:00:00.000Z',
};
const id = retentionInstanceId('demo-a', 'v1');

describe('startRetention', () => {
  it('it should start once and find the instance afterwards, whatever its state', async () => {
    const table = new InstanceTable();
    assert.equal(await startRetention(table, 'verificationRetention', input), 'started');
    assert.equal(await startRetention(table, 'verificationRetention', input), 'already-exists');
    table.instances.get(id)!.status = 'Completed';
    assert.equal(await startRetention(table, 'verificationRetention', input), 'already-exists');
  });
});

describe('requestRetentionErasure', () => {
  it('it should raise the erase event on a running orchestration', async () => {
    const table = new InstanceTable();
    await startRetention(table, 'verificationRetention', input);
    assert.equal(await requestRetentionErasure(table, 'verificationRetention', input), 'raised');
    assert.deepEqual(table.events, [{ instanceId: id, name: 'erase' }]);
  });

  it('it should start a missing or failed orchestration with eraseNow', async () => {
    const table = new InstanceTable();
    assert.equal(await requestRetentionErasure(table, 'verificationRetention', input), 'started');
    assert.deepEqual(table.instances.get(id)?.input, { ...input, eraseNow: true });
    table.instances.get(id)!.status = 'Failed';
    assert.equal(await requestRetentionErasure(table, 'verificationRetention', input), 'started');
    assert.deepEqual(table.events, []);
  });

  it('it should leave a finished orchestration that refuses a restart to the sweep, not raise on it', async () => {
    const table = new InstanceTable();
    await startRetention(table, 'verificationRetention', input);
    table.instances.get(id)!.status = 'Completed';
    table.startNew = async () => {
      throw new Error(`409: An instance with ID '${id}' already exists.`);
    };
    assert.equal(await requestRetentionErasure(table, 'verificationRetention', input), 'left-to-sweep');
    assert.deepEqual(table.events, []);
  });
});
