/**
 * A host killed (SIGKILL) in the middle of an assignment loses no order and
 * reserves nothing twice. For each fault point between the order's claim and its
 * `assigned` write (see fixtures/order-host.ts), one host process takes the
 * pay-in and dies at that point; a second host on the same Azurite (durable
 * task hub, Service Bus queues) and the same Cosmos database takes over; the
 * order must end assigned once, on one requisite whose counters count it once.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import https from 'node:https';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { CosmosClient } from '@azure/cosmos';
import { startAzurite, type RunningAzurite } from '../../../runtime/storage/azurite';
import { freePorts } from '../../../runtime/storage/free-ports';
import { PLATFORM_TENANT, type OrderDoc, type RequisiteDoc, type ReservationDoc } from '../../../shared/orders/documents';
import { ordersStore, readItem, type OrdersStore } from '../../../shared/orders/store';
import { CRASH_POINTS, type CrashPoint } from './fixtures/order-host';
import { eventually as poll } from '../../support/eventually';
import { type HostProcess, killHost, startHostProcess } from '../../support/host-process';
import { testCosmosClient } from '../../support/test-cosmos';

/** Polling ceiling and interval of this file (no timing assertion). */
const eventually = <T>(read: () => Promise<T | undefined>, what: string, timeoutMs = 60_000) => poll(read, what, { timeoutMs, pollMs: 100 });

const ORDER_HOST = path.join(__dirname, 'fixtures', 'order-host.js');
const compiledRoot = path.resolve(__dirname, '..', '..', '..');
const repoRoot = path.resolve(compiledRoot, '..');
const sample = JSON.parse(readFileSync(path.join(repoRoot, 'local.settings.sample.json'), 'utf8')) as { Values: Record<string, string> };

async function withDeadline<T>(promise: Promise<T>, what: string, timeoutMs = 60_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), timeoutMs)));
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

async function allOf<T>(store: OrdersStore, type: string): Promise<T[]> {
  const { resources } = await store.requisites.items
    .query<T>({ query: 'SELECT * FROM c WHERE c.type = @type', parameters: [{ name: '@type', value: type }] }, { partitionKey: PLATFORM_TENANT })
    .fetchAll();
  return resources;
}

describe('order engine survives a host crash between reservation and assignment (local runtime)', () => {
  let azurite: RunningAzurite;
  let dataDir: string;
  let client: CosmosClient;
  let agent: https.Agent;
  let store: OrdersStore;
  let settings: Record<string, string>;
  const hosts: HostProcess[] = [];

  before(async () => {
    assert.ok(process.env.COSMOS_ENDPOINT && process.env.COSMOS_KEY, 'COSMOS_ENDPOINT and COSMOS_KEY must point at a Cosmos server (scripts/test.ts starts one)');
    dataDir = mkdtempSync(path.join(tmpdir(), 'vouch-orders-crash-'));
    azurite = await startAzurite({ blobPort: await freePorts(3), location: dataDir });
    const unique = randomBytes(4).toString('hex');
    settings = {
      ...sample.Values,
      AzureWebJobsStorage: azurite.connectionString,
      COSMOS_ENDPOINT: process.env.COSMOS_ENDPOINT,
      COSMOS_KEY: process.env.COSMOS_KEY,
      COSMOS_DATABASE: `orders-crash-${unique}`,
      TASKHUB_NAME: `OrdersCrash${unique}`,
    };
    ({ client, agent } = testCosmosClient(process.env.COSMOS_ENDPOINT, process.env.COSMOS_KEY));
    store = ordersStore(client.database(settings.COSMOS_DATABASE ?? ''));
  });

  after(async () => {
    for (const host of hosts) await killHost(host);
    await client?.database(settings.COSMOS_DATABASE ?? '').delete().catch(() => undefined);
    client?.dispose();
    agent?.destroy();
    await azurite?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  /** Every requisite's counters equal the sum of the reservations that still count, and stay within its limits. */
  async function assertCountersMatchReservations(): Promise<void> {
    const counting = (await allOf<ReservationDoc>(store, 'reservation')).filter((r) => r.state !== 'released');
    for (const requisite of await allOf<RequisiteDoc>(store, 'requisite')) {
      const total = counting.filter((r) => r.requisiteId === requisite.id).reduce((sum, r) => sum + r.amountMinor, 0);
      assert.equal(requisite.usage.dayMinor, total, `${requisite.id}: day usage = its reservations`);
      assert.equal(requisite.usage.monthMinor, total, `${requisite.id}: month usage = its reservations`);
      assert.ok(total <= requisite.dailyLimitMinor && total <= requisite.monthlyLimitMinor, `${requisite.id}: within limits`);
    }
  }

  for (const [index, point] of CRASH_POINTS.entries()) {
    it(`should assign the order exactly once after a crash at ${point}`, async () => {
      const doomed = await startHostProcess(ORDER_HOST, { ORDERS_HOST_SETTINGS: JSON.stringify(settings), ORDERS_CRASH_AT: point });
      hosts.push(doomed);
      const amount = `${1000 + index * 111}.00`;
      const response = await fetch(`${doomed.origin}/api/v1/payins`, {
        method: 'POST',
        headers: { 'x-api-key': 'demo-a-key', 'idempotency-key': `crash-${point}`, 'content-type': 'application/json' },
        body: JSON.stringify({ amount, currency: 'RUB', method: 'card', customerRef: `crash-${index}` }),
      });
      assert.equal(response.status, 201, await response.clone().text());
      const { id } = (await response.json()) as { id: string };
      assert.equal(await withDeadline(doomed.exited, `the host to die at ${point}`), 'SIGKILL', doomed.output.join(''));
      assert.match(doomed.output.join(''), new RegExp(`crash at ${point}`));

      // What the dead host left: a claimed order that is not assigned.
      const left = await readItem<OrderDoc>(store.orders, id, 'demo-a');
      assert.equal(left?.status, 'new');
      const claimed = left?.claim?.requisiteId;
      assert.ok(claimed, 'the order carries its claim');
      // The reservation doc and the requisite's counters are one batch: both exist iff the host died past it.
      const reservedBefore = (await allOf<ReservationDoc>(store, 'reservation')).filter((r) => r.orderId === id);
      assert.equal(reservedBefore.length, point === 'before-reservation' ? 0 : 1, 'the reservation batch committed iff past it');
      await assertCountersMatchReservations();

      const heir = await startHostProcess(ORDER_HOST, { ORDERS_HOST_SETTINGS: JSON.stringify(settings) });
      hosts.push(heir);
      const assigned = await eventually(async () => {
        const order = await readItem<OrderDoc>(store.orders, id, 'demo-a');
        return order?.status === 'assigned' ? order : undefined;
      }, `order ${id} to be assigned by the second host`);
      assert.equal(assigned.history.filter((h) => h.event === 'assign').length, 1, 'assigned once');
      assert.equal(assigned.assignment?.requisiteId, claimed, 'on the requisite it had claimed');
      assert.equal(assigned.claim, undefined);
      const mine = (await allOf<ReservationDoc>(store, 'reservation')).filter((r) => r.orderId === id);
      assert.deepEqual(mine.map((r) => [r.requisiteId, r.state, r.amountMinor]), [[claimed, 'held', Math.round(Number(amount) * 100)]], 'one reservation');
      await assertCountersMatchReservations();
      // The orchestration the first host started is the one that finished the job, now waiting for payment.
      const instance = await eventually(async () => {
        const res = await fetch(`${heir.origin}/runtime/webhooks/durabletask/instances/${id}`);
        return res.ok ? ((await res.json()) as { runtimeStatus: string }) : undefined;
      }, 'the orchestration status');
      assert.equal(instance.runtimeStatus, 'Running');
      await killHost(heir);
    });
  }
});
