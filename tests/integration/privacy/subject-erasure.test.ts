import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { verificationPrefix } from '../../../shared/kyc/blob-names';
import { ERASED_CUSTOMER_REF } from '../../../shared/privacy/anonymise-orders';
import { toErasureView } from '../../../shared/privacy/erasure-store';
import { subjectHash } from '../../../shared/privacy/subject-hash';
import {
  anonymiseSubjectOrders,
  completeSubjectErasure,
  createSubjectErasure,
  eraseSubjectVerifications,
} from '../../../shared/privacy/subject-erasure';
import { listBlobNames as blobNamesIn } from '../../../shared/privacy/erase-blobs';
import { startLocalServices, suffix, type LocalServices } from '../kyc/local-services';
import { documentsMentioning, privacyHarness, type PrivacyHarness } from './privacy-harness';

let services: LocalServices;
let h: PrivacyHarness;
before(async () => {
  services = await startLocalServices();
  h = await privacyHarness(services);
});
after(async () => services?.stop());

/** An order document as the engine stores it, reduced to what anonymisation reads. */
const order = (tenantId: string, customerRef: string) => ({
  id: `o${suffix()}`,
  type: 'order',
  tenantId,
  customerRef,
  amountMinor: 100_000,
  currency: 'RUB',
  status: 'completed',
  ledger: { settle: 'journal-1' },
});

describe('subject erasure', () => {
  it('it should erase every verification of the subject, anonymise its orders and close a receipt without personal data', async () => {
    const subjectRef = `person-${suffix()}`;
    const mine = [await h.postPhoto(subjectRef), await h.postPhoto(subjectRef)];
    const other = await h.postPhoto(`someone-else-${suffix()}`);
    const assigned = { requisiteId: 'r1', traderId: 't1', bankId: 'sber', method: 'card', displayNumber: '2200 **** 1234', holderName: 'Ivan P.', assignedAt: '2026-11-23T12:00:00.000Z' };
    const orders = [{ ...order(h.tenantId, subjectRef), assignment: assigned }, order(h.tenantId, subjectRef), order(h.tenantId, 'another-customer')];
    const receiptOf = (orderId: string, n: number) => `${h.tenantId}/${orderId}/receipt-${n}.jpg`;
    const mineReceipts = [receiptOf(orders[0]!.id, 1), receiptOf(orders[0]!.id, 2)];
    const othersReceipt = receiptOf(orders[2]!.id, 1);
    const listed = (blobName: string) => ({ blobName, contentType: 'image/jpeg', sizeBytes: 4, sha256: 'x', action: 'confirm', by: 'u1', role: 'trader', uploadedAt: '2026-11-23T12:00:00.000Z' });
    Object.assign(orders[0]!, { receipts: mineReceipts.map(listed) });
    Object.assign(orders[2]!, { receipts: [listed(othersReceipt)] });
    for (const name of [...mineReceipts, othersReceipt]) await h.receipts.getBlockBlobClient(name).uploadData(Buffer.from('jpeg'));
    for (const o of orders) await h.orders.items.create(o);
    await h.orders.items.create({ id: `velocity:customer:${subjectRef}:2026-11-23T12:00:00.000Z`, type: 'velocity', tenantId: h.tenantId, key: subjectRef, count: 2 });

    const ref = { tenantId: h.tenantId, erasureId: `e${suffix()}` };
    const created = await createSubjectErasure(h.subject, { ...ref, subjectRef });
    assert.equal(created.status, 'pending');
    assert.equal(await eraseSubjectVerifications(h.subject, ref), 2);
    assert.equal(await anonymiseSubjectOrders(h.subject, ref), 2);
    // A re-run (activity retried after a crash) finds nothing more and keeps the counts.
    assert.equal(await eraseSubjectVerifications(h.subject, ref), 0);
    assert.equal(await anonymiseSubjectOrders(h.subject, ref), 0);
    const done = await completeSubjectErasure(h.subject, ref);

    const view = toErasureView(done);
    assert.equal(view.status, 'completed');
    assert.equal(view.subjectHash, subjectHash(h.subject.hashKey, h.tenantId, subjectRef));
    assert.deepEqual(view.receipt.items, [
      { kind: 'verification-media', count: 6 },
      { kind: 'verification-record', count: 2 },
      { kind: 'order-customer-ref', count: 2 },
      { kind: 'order-velocity-counter', count: 1 },
      { kind: 'order-receipt-blob', count: 2 },
    ]);
    assert.ok(view.receipt.completedAt);
    assert.equal(JSON.stringify(done).includes(subjectRef), false);

    for (const id of mine) assert.deepEqual(await h.blobNames(verificationPrefix(h.tenantId, id)), []);
    assert.equal((await h.blobNames(verificationPrefix(h.tenantId, other))).length, 3, 'other subjects untouched');
    assert.deepEqual(await documentsMentioning([h.verificationsContainer, h.idempotencyContainer, h.orders], subjectRef), []);
    const { resource: kept } = await h.orders.item(orders[0]!.id, h.tenantId).read();
    assert.equal(kept.customerRef, ERASED_CUSTOMER_REF);
    assert.equal(kept.amountMinor, 100_000, 'amounts stay for the ledger');
    assert.deepEqual(kept.ledger, { settle: 'journal-1' });
    assert.deepEqual([kept.assignment.holderName, kept.assignment.displayNumber, kept.assignment.requisiteId], [ERASED_CUSTOMER_REF, ERASED_CUSTOMER_REF, 'r1'], 'the requisite details it showed the subject go too');
    assert.equal('receipts' in kept, false, 'the receipt list goes with the blobs');
    assert.deepEqual(await blobNamesIn(h.receipts, `${h.tenantId}/${orders[0]!.id}/`), [], 'the subject receipts are deleted');
    const { resource: untouched } = await h.orders.item(orders[2]!.id, h.tenantId).read();
    assert.equal(untouched.customerRef, 'another-customer');
    assert.deepEqual(untouched.receipts.map((r: { blobName: string }) => r.blobName), [othersReceipt]);
    assert.deepEqual(await blobNamesIn(h.receipts, `${h.tenantId}/${orders[2]!.id}/`), [othersReceipt], 'another customer keeps theirs');
  });

  it('it should delete receipt blobs the order does not list, and finish an order whose blobs went before a crash', async () => {
    const subjectRef = `receipts-${suffix()}`;
    const unlisted = order(h.tenantId, subjectRef);
    const resumed = { ...order(h.tenantId, subjectRef), receipts: [{ blobName: `${h.tenantId}/gone/receipt-1.jpg` }] };
    for (const o of [unlisted, resumed]) await h.orders.items.create(o);
    // Uploaded, but the confirmation that would list it never landed.
    await h.receipts.getBlockBlobClient(`${h.tenantId}/${unlisted.id}/receipt-1.png`).uploadData(Buffer.from('png'));
    const ref = { tenantId: h.tenantId, erasureId: `e${suffix()}` };
    await createSubjectErasure(h.subject, { ...ref, subjectRef });
    assert.equal(await anonymiseSubjectOrders(h.subject, ref), 2);
    const done = await completeSubjectErasure(h.subject, ref);
    assert.deepEqual(done.items.filter((i) => i.kind.startsWith('order-')), [
      { kind: 'order-customer-ref', count: 2 },
      { kind: 'order-velocity-counter', count: 0 },
      { kind: 'order-receipt-blob', count: 1 },
    ]);
    assert.deepEqual(await blobNamesIn(h.receipts, `${h.tenantId}/${unlisted.id}/`), []);
    const { resource: patched } = await h.orders.item(resumed.id, h.tenantId).read();
    assert.equal(patched.customerRef, ERASED_CUSTOMER_REF);
    assert.equal('receipts' in patched, false);
  });

  it('it should do nothing more once completed', async () => {
    const ref = { tenantId: h.tenantId, erasureId: `e${suffix()}` };
    await createSubjectErasure(h.subject, { ...ref, subjectRef: 'nobody' });
    await completeSubjectErasure(h.subject, ref);
    assert.equal(await eraseSubjectVerifications(h.subject, ref), 0);
    assert.equal(await anonymiseSubjectOrders(h.subject, ref), 0);
    assert.equal((await completeSubjectErasure(h.subject, ref)).status, 'completed');
  });
});
