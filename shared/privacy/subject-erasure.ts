import type { Container } from '@azure/cosmos';
import type { ContainerClient } from '@azure/storage-blob';
import { notFound } from '../errors';
import { anonymiseOrders } from './anonymise-orders';
import { addItems, type ErasureDoc, type ErasureItem, type ErasureStore } from './erasure-store';
import { eraseVerification, type VerificationErasureDeps } from './erase-verification';
import { subjectHash } from './subject-hash';

/** What a subject erasure touches. */
export interface SubjectErasureDeps extends VerificationErasureDeps {
  erasures: ErasureStore;
  /** The `orders` container. */
  orders: Container;
  /** The `receipts` container (payment receipts of the subject's orders). */
  receipts: ContainerClient;
  /** Key of the subjectRef hash on receipts. */
  hashKey: string;
}

/** Input of the `subjectErasure` orchestration and of its activities: ids only, never the subjectRef. */
export interface SubjectErasureRef {
  tenantId: string;
  erasureId: string;
}

export const subjectErasureInstanceId = (ref: SubjectErasureRef): string => `erasure:${ref.erasureId}`;

/** POST /api/v1/privacy/erasures: records the request (the orchestration does the work). */
export async function createSubjectErasure(
  deps: Pick<SubjectErasureDeps, 'erasures' | 'clock' | 'hashKey'>,
  input: { tenantId: string; erasureId: string; subjectRef: string },
): Promise<ErasureDoc> {
  const doc: ErasureDoc = {
    id: input.erasureId,
    tenantId: input.tenantId,
    type: 'subject-erasure',
    status: 'pending',
    subjectHash: subjectHash(deps.hashKey, input.tenantId, input.subjectRef),
    subjectRef: input.subjectRef,
    requestedAt: deps.clock.now().toISOString(),
    items: [],
  };
  await deps.erasures.create(doc);
  return doc;
}

async function pendingSubject(deps: SubjectErasureDeps, ref: SubjectErasureRef): Promise<string | undefined> {
  const doc = await deps.erasures.get(ref.tenantId, ref.erasureId);
  if (!doc) throw notFound('Erasure');
  return doc.status === 'pending' ? doc.subjectRef : undefined;
}

const record = (deps: SubjectErasureDeps, ref: SubjectErasureRef, items: ErasureItem[]) =>
  deps.erasures.update(ref.tenantId, ref.erasureId, (doc) => ({ ...doc, items: addItems(doc.items, items) }));

/**
 * Erases every verification of the subject in the tenant. Their ids go onto the erasure first
 * (write-ahead): a verification whose tombstone was written before a crash no longer matches the
 * subjectRef, and a resumed run must still delete its remaining blobs. Media counts are added as
 * each verification goes; the record count is the number of verifications covered.
 */
export async function eraseSubjectVerifications(deps: SubjectErasureDeps, ref: SubjectErasureRef): Promise<number> {
  const subjectRef = await pendingSubject(deps, ref);
  if (subjectRef === undefined) return 0;
  const found = (await deps.verifications.findBySubjectRef(ref.tenantId, subjectRef)).map((v) => v.id);
  const planned = await deps.erasures.update(ref.tenantId, ref.erasureId, (doc) => {
    const ids = [...new Set([...(doc.verificationIds ?? []), ...found])];
    return ids.length === (doc.verificationIds ?? []).length && doc.verificationIds ? undefined : { ...doc, verificationIds: ids };
  });
  const ids = planned.verificationIds ?? [];
  for (const verificationId of ids) {
    const counts = await eraseVerification(deps, { tenantId: ref.tenantId, verificationId }, 'subject-erasure');
    await record(deps, ref, [
      { kind: 'verification-media', count: counts.mediaBlobs },
      ...(counts.idempotencyClaims > 0 ? [{ kind: 'idempotency-key' as const, count: counts.idempotencyClaims }] : []),
    ]);
  }
  await deps.erasures.update(ref.tenantId, ref.erasureId, (doc) => ({
    ...doc,
    items: addItems(doc.items, [{ kind: 'verification-media', count: 0 }], [{ kind: 'verification-record', count: ids.length }]),
  }));
  return found.length;
}

/** Anonymises the subject's orders and deletes their receipts (the subjectRef is the merchant's customerRef). */
export async function anonymiseSubjectOrders(deps: SubjectErasureDeps, ref: SubjectErasureRef): Promise<number> {
  const subjectRef = await pendingSubject(deps, ref);
  if (subjectRef === undefined) return 0;
  const done = await anonymiseOrders(deps, ref.tenantId, subjectRef);
  await record(deps, ref, [
    { kind: 'order-customer-ref', count: done.orders },
    { kind: 'order-velocity-counter', count: done.velocityCounters },
    { kind: 'order-receipt-blob', count: done.receiptBlobs },
  ]);
  return done.orders;
}

/** Closes the erasure: completed, with its time, and the subjectRef dropped for good. */
export async function completeSubjectErasure(deps: SubjectErasureDeps, ref: SubjectErasureRef): Promise<ErasureDoc> {
  const at = deps.clock.now().toISOString();
  return deps.erasures.update(ref.tenantId, ref.erasureId, (doc) => {
    if (doc.status === 'completed') return undefined;
    const { subjectRef, ...rest } = doc;
    void subjectRef;
    return { ...rest, status: 'completed', completedAt: at };
  });
}
