/**
 * Saves and restores the state of `@vercel/cosmosdb-server`, which keeps everything in memory:
 * databases, containers (with their settings) and documents, each with its `_rid`, `_etag` and
 * `_ts`, so ETag conditions written before a restart still hold after it. User-defined functions
 * are not kept (the app defines none).
 */

/** The server's in-memory collections (`lib/account/items.js`), as far as a snapshot needs them. */
interface ItemsLike {
  _data: Map<string, { read(): Record<string, unknown> }>;
  _ridCount: number;
  _set(data: Record<string, unknown>): Record<string, unknown>;
}

interface AccountLike {
  databases: ItemsLike;
  database(id: string): { collections: ItemsLike };
}

export interface CosmosSnapshot {
  version: 1;
  databases: { ridCount: number; items: { data: Record<string, unknown>; collections: SnapshotCollections }[] };
}

interface SnapshotCollections {
  ridCount: number;
  items: { data: Record<string, unknown>; documents: { ridCount: number; items: Record<string, unknown>[] } }[];
}

type Child = { documents: ItemsLike };

function children(items: ItemsLike): { data: Record<string, unknown>; item: unknown }[] {
  return [...items._data.values()].map((item) => ({ data: item.read(), item }));
}

export function takeSnapshot(account: AccountLike): CosmosSnapshot {
  return {
    version: 1,
    databases: {
      ridCount: account.databases._ridCount,
      items: children(account.databases).map(({ data, item }) => {
        const collections = (item as { collections: ItemsLike }).collections;
        return {
          data,
          collections: {
            ridCount: collections._ridCount,
            items: children(collections).map(({ data: container, item: coll }) => {
              const documents = (coll as Child).documents;
              return { data: container, documents: { ridCount: documents._ridCount, items: children(documents).map((d) => d.data) } };
            }),
          },
        };
      }),
    },
  };
}

/** Rebuilds the state through the server's own `_set`, so its indexes are built as on a write. */
export function restoreSnapshot(account: AccountLike, snapshot: CosmosSnapshot): void {
  if (snapshot.version !== 1) throw new Error(`unknown Cosmos snapshot version ${String(snapshot.version)}`);
  account.databases._ridCount = snapshot.databases.ridCount;
  for (const db of snapshot.databases.items) {
    account.databases._set(db.data);
    const collections = account.database(String(db.data['id'])).collections;
    collections._ridCount = db.collections.ridCount;
    for (const coll of db.collections.items) {
      collections._set(coll.data);
      const container = [...collections._data.values()].find((c) => c.read()['id'] === coll.data['id']) as unknown as Child;
      container.documents._ridCount = coll.documents.ridCount;
      for (const doc of coll.documents.items) container.documents._set(doc);
    }
  }
}
