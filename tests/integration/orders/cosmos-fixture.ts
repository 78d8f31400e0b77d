/**
 * The order-engine integration tests' Cosmos (tests/support/test-cosmos.ts):
 * each call gets its own database with the order containers.
 */
import { randomUUID } from 'node:crypto';
import type { Database } from '@azure/cosmos';
import { ManualClock } from '../../../shared/platform/clock';
import { createOrderEngine, type OrderEngine } from '../../../shared/orders/engine';
import { defaultOrderSettings, type OrderSettings } from '../../../shared/orders/settings';
import { ensureOrderContainers, type OrdersStore } from '../../../shared/orders/store';
import { openTestCosmos } from '../../support/test-cosmos';

export interface OrdersFixture {
  db: Database;
  store: OrdersStore;
  clock: ManualClock;
  engine(settings?: Partial<OrderSettings>): OrderEngine;
  close(): Promise<void>;
}

export interface FixtureOptions {
  /** Keep the in-process write queue (default false: tests make ETags alone arbitrate every race). */
  localLocks?: boolean;
  now?: Date;
}

export async function openOrdersFixture(name: string, options: FixtureOptions = {}): Promise<OrdersFixture> {
  const now = options.now ?? new Date('2026-11-23T12:00:00.000Z');
  const cosmos = await openTestCosmos();
  const db = cosmos.client.database(`orders-${name}-${randomUUID().slice(0, 8)}`);
  const ensured = await ensureOrderContainers(db);
  const store: OrdersStore = options.localLocks ? ensured : { ...ensured, locks: undefined };
  const clock = new ManualClock(now);
  return {
    db,
    store,
    clock,
    engine: (settings = {}) => createOrderEngine({ store, clock, settings: { ...defaultOrderSettings(), ...settings } }),
    async close() {
      await db.delete().catch(() => undefined);
      await cosmos.close();
    },
  };
}
