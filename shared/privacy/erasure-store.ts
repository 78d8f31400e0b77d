import type { Container } from '@azure/cosmos';
import { z } from 'zod';
import { DomainError } from '../errors';

/** Kinds of item an erasure receipt counts. */
export const ERASURE_ITEM_KINDS = [
  'verification-media',
  'verification-record',
  'idempotency-key',
  'order-customer-ref',
  'order-velocity-counter',
  'order-receipt-blob',
] as const;
export type ErasureItemKind = (typeof ERASURE_ITEM_KINDS)[number];

export const erasureItemSchema = z.object({ kind: z.enum(ERASURE_ITEM_KINDS), count: z.number().int().min(0) });
export type ErasureItem = z.infer<typeof erasureItemSchema>;

/**
 * A subject erasure request in the `erasures` container (partition `/tenantId`). `subjectRef`
 * is held only while the erasure runs (its activities need it) and removed when it completes,
 * leaving the keyed `subjectHash`; the orchestration's own input carries ids only, so the task
 * hub history never holds it.
 */
export const erasureDocSchema = z.object({
  id: z.string().min(1),
  tenantId: z.string().min(1),
  type: z.literal('subject-erasure'),
  status: z.enum(['pending', 'completed']),
  subjectHash: z.string().min(1),
  subjectRef: z.string().min(1).optional(),
  requestedAt: z.iso.datetime({ offset: true }),
  completedAt: z.iso.datetime({ offset: true }).optional(),
  /**
   * Verifications this erasure covers, written before any is erased: a tombstoned verification no
   * longer matches the subjectRef, so a run resumed after a crash finds its leftovers through here.
   */
  verificationIds: z.array(z.string().min(1)).optional(),
  /** Counts so far; each step adds what it removed right after removing it. */
  items: z.array(erasureItemSchema),
  _etag: z.string().optional(),
});
export type ErasureDoc = z.infer<typeof erasureDocSchema>;

/** GET /api/v1/privacy/erasures/{id}: status and receipt, no personal data. */
export interface ErasureView {
  id: string;
  status: ErasureDoc['status'];
  requestedAt: string;
  subjectHash: string;
  receipt: { items: ErasureItem[]; completedAt?: string };
}

export const toErasureView = (doc: ErasureDoc): ErasureView => ({
  id: doc.id,
  status: doc.status,
  requestedAt: doc.requestedAt,
  subjectHash: doc.subjectHash,
  receipt: { items: doc.items, ...(doc.completedAt ? { completedAt: doc.completedAt } : {}) },
});

export interface ErasureStore {
  create(doc: ErasureDoc): Promise<void>;
  get(tenantId: string, id: string): Promise<ErasureDoc | undefined>;
  /** Forgets a request whose orchestration could not be started (it holds the subjectRef). */
  delete(tenantId: string, id: string): Promise<void>;
  /**
   * Erasures still `pending` that were requested before `requestedBefore` (ISO time), oldest
   * first, at most `limit`, across tenants: the ones whose orchestration may have been lost.
   */
  pendingBefore(requestedBefore: string, limit: number): Promise<Array<{ tenantId: string; erasureId: string }>>;
  /** ETag read-modify-write; `change` returns undefined for "nothing to do". */
  update(tenantId: string, id: string, change: (doc: ErasureDoc) => ErasureDoc | undefined): Promise<ErasureDoc>;
}

const MAX_ATTEMPTS = 8;
const codeOf = (e: unknown) => (typeof e === 'object' && e !== null ? (e as { code?: unknown }).code : undefined);

/** Adds `add` to `items` and overwrites the kinds in `set`, kind by kind (kinds with nothing removed are listed as 0). */
export function addItems(items: ErasureItem[], add: ErasureItem[], set: ErasureItem[] = []): ErasureItem[] {
  const totals = new Map(items.map((i) => [i.kind, i.count]));
  for (const a of add) totals.set(a.kind, (totals.get(a.kind) ?? 0) + a.count);
  for (const a of set) totals.set(a.kind, a.count);
  return ERASURE_ITEM_KINDS.filter((k) => totals.has(k)).map((kind) => ({ kind, count: totals.get(kind) ?? 0 }));
}

export function createErasureStore(container: Container): ErasureStore {
  const strip = ({ _etag, ...rest }: ErasureDoc) => (void _etag, rest);
  const get = async (tenantId: string, id: string) => {
    const { resource } = await container.item(id, tenantId).read();
    return resource && resource.tenantId === tenantId ? erasureDocSchema.parse(resource) : undefined;
  };
  return {
    async create(doc) {
      await container.items.create(strip(erasureDocSchema.parse(doc)));
    },
    get,
    async delete(tenantId, id) {
      try {
        await container.item(id, tenantId).delete();
      } catch (e) {
        if (codeOf(e) !== 404) throw e;
      }
    },
    async pendingBefore(requestedBefore, limit) {
      const { resources } = await container.items
        .query<{ id: string; tenantId: string }>({
          query:
            `SELECT TOP ${Math.max(1, Math.floor(limit))} c.id, c.tenantId FROM c ` +
            "WHERE c.type = 'subject-erasure' AND c.status = 'pending' AND c.requestedAt < @before ORDER BY c.requestedAt",
          parameters: [{ name: '@before', value: requestedBefore }],
        })
        .fetchAll();
      return resources.map((r) => ({ tenantId: r.tenantId, erasureId: r.id }));
    },
    async update(tenantId, id, change) {
      for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
        const current = await get(tenantId, id);
        if (!current) throw new DomainError('not-found', 'Erasure not found', 404);
        const next = change(current);
        if (!next) return current;
        try {
          const { resource } = await container.item(id, tenantId).replace(strip(erasureDocSchema.parse(next)), {
            accessCondition: { type: 'IfMatch', condition: current._etag ?? '' },
          });
          return erasureDocSchema.parse(resource);
        } catch (e) {
          if (codeOf(e) !== 412) throw e;
        }
      }
      throw new DomainError('concurrent-update', `Erasure ${id} kept changing; try again`, 503, {}, true);
    },
  };
}
