import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { orderOrchestrationInput } from '../../../../shared/orders/orchestration-input';
import { defaultOrderSettings } from '../../../../shared/orders/settings';
import { startOrderOrchestration, type OrchestrationStarter } from '../../../../shared/orders/start-orchestration';

/** An in-memory durable client with the two calls the starter makes, answering as the durable HTTP API does. */
class Instances implements OrchestrationStarter {
  readonly starts: string[] = [];
  constructor(private readonly statuses: Map<string, string> = new Map()) {}
  async getStatus(instanceId: string) {
    const runtimeStatus = this.statuses.get(instanceId);
    if (!runtimeStatus) throw new Error(`Durable status request failed with HTTP 404`);
    return { runtimeStatus };
  }
  async startNew(_name: string, options: { instanceId: string }) {
    if (['Pending', 'Running'].includes(this.statuses.get(options.instanceId) ?? '')) throw new Error(`An instance with ID '${options.instanceId}' already exists (409).`);
    this.statuses.set(options.instanceId, 'Running');
    this.starts.push(options.instanceId);
    return options.instanceId;
  }
}

const input = (orderId: string) => orderOrchestrationInput(defaultOrderSettings(), 'demo-a', orderId);

describe('starting an order orchestration', () => {
  it('should start one instance per order id, however often it is asked', async () => {
    const client = new Instances();
    const outcomes = [await startOrderOrchestration(client, 'orderLifecycle', input('o1')), await startOrderOrchestration(client, 'orderLifecycle', input('o1'))];
    assert.deepEqual(outcomes, ['started', 'already-exists']);
    assert.deepEqual(client.starts, ['o1']);
  });

  it('should answer already-exists when a concurrent start won the race', async () => {
    const client = new Instances();
    const outcomes = await Promise.all([1, 2, 3].map(() => startOrderOrchestration(client, 'orderLifecycle', input('o2'))));
    assert.deepEqual([...outcomes].sort(), ['already-exists', 'already-exists', 'started']);
    assert.deepEqual(client.starts, ['o2']);
  });

  it('should not restart a completed instance, and restart a failed or terminated one', async () => {
    const client = new Instances(new Map([['done', 'Completed'], ['broken', 'Failed'], ['stopped', 'Terminated']]));
    assert.equal(await startOrderOrchestration(client, 'orderLifecycle', input('done')), 'already-exists');
    assert.equal(await startOrderOrchestration(client, 'orderLifecycle', input('broken')), 'restarted');
    assert.equal(await startOrderOrchestration(client, 'orderLifecycle', input('stopped')), 'restarted');
    assert.deepEqual(client.starts, ['broken', 'stopped']);
  });

  it('should pass other errors on, so the queue retries the message', async () => {
    const client: OrchestrationStarter = { getStatus: async () => { throw new Error('HTTP 503 storage unavailable'); }, startNew: async () => 'x' };
    await assert.rejects(startOrderOrchestration(client, 'orderLifecycle', input('o3')), /503/);
  });
});
