/**
 * The containers the order engine uses, as one object built from a Database.
 *
 * Partition keys (and why):
 * - merchants, orders, ledger (journals): `/tenantId` = the merchant tenant; a
 *   merchant's reads stay in its partition.
 * - traders, requisites (+ reservation docs), reference-data: `/tenantId` =
 *   `platform`. They belong to no merchant; keeping them in one small logical
 *   partition makes requisite selection a single-partition query on the hot path.
 *   (Thousands of requisites are far below the 20 GB logical-partition limit.)
 * - balances (+ posting lines): `/accountId`. Lines grow without bound, so they
 *   cannot live in one `platform` partition; each account's balance and its lines
 *   share a partition, which also lets a real-Cosmos deployment batch them.
 * The engine does not rely on transactional batch (the local server's batch is
 * not atomic): multi-document steps are write-ahead records completed by the
 * next writer (see reservation.ts, ledger.ts).
 */
import type { Container, Database, ItemDefinition } from '@azure/cosmos';
import { COSMOS_CONTAINERS } from '../names';
import { isNotFound } from './cosmos-errors';
import { KeyedLock } from './keyed-lock';

export interface OrdersStore {
  /** In-process queue for hot documents (requisites, balances); omit to rely on ETags alone. */
  locks?: KeyedLock;
  merchants: Container;
  traders: Container;
  requisites: Container;
  orders: Container;
  ledger: Container;
  balances: Container;
  referenceData: Container;
}

/** Partition key path per order-engine container. */
export const ORDER_PARTITION_KEYS = {
  [COSMOS_CONTAINERS.merchants]: '/tenantId',
  [COSMOS_CONTAINERS.traders]: '/tenantId',
  [COSMOS_CONTAINERS.requisites]: '/tenantId',
  [COSMOS_CONTAINERS.orders]: '/tenantId',
  [COSMOS_CONTAINERS.ledger]: '/tenantId',
  [COSMOS_CONTAINERS.balances]: '/accountId',
  [COSMOS_CONTAINERS.referenceData]: '/tenantId',
} as const;

export function ordersStore(database: Database): OrdersStore {
  return {
    locks: new KeyedLock(),
    merchants: database.container(COSMOS_CONTAINERS.merchants),
    traders: database.container(COSMOS_CONTAINERS.traders),
    requisites: database.container(COSMOS_CONTAINERS.requisites),
    orders: database.container(COSMOS_CONTAINERS.orders),
    ledger: database.container(COSMOS_CONTAINERS.ledger),
    balances: database.container(COSMOS_CONTAINERS.balances),
    referenceData: database.container(COSMOS_CONTAINERS.referenceData),
  };
}

/**
 * Creates the order containers with their partition keys (local mode, tests).
 * Fails loudly if one already exists with another key: the engine would then
 * read documents from the wrong partition.
 */
export async function ensureOrderContainers(database: Database): Promise<OrdersStore> {
  await database.client.databases.createIfNotExists({ id: database.id });
  for (const [id, path] of Object.entries(ORDER_PARTITION_KEYS)) {
    const { resource } = await database.containers.createIfNotExists({ id, partitionKey: { paths: [path] } });
    const actual = resource?.partitionKey?.paths?.[0];
    if (actual !== undefined && actual !== path) {
      throw new Error(`Cosmos container ${id} is partitioned by ${actual}; the order engine needs ${path}`);
    }
  }
  return ordersStore(database);
}

/** Point read that answers undefined for a missing document. */
export async function readItem<T extends ItemDefinition>(container: Container, id: string, partitionKey: string): Promise<T | undefined> {
  try {
    const { resource } = await container.item(id, partitionKey).read<T>();
    return resource ?? undefined;
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

/** Replace only if nobody wrote the document since we read `etag`. */
export const ifMatch = (etag: string | undefined) =>
  etag ? { accessCondition: { type: 'IfMatch', condition: etag } } : {};
