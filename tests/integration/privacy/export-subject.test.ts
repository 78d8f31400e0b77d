import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { BlobServiceClient } from '@azure/storage-blob';
import { processKeyRing } from '../../../shared/crypto/key-ring';
import { exportSubjectData } from '../../../shared/privacy/export-subject';
import { createMediaLinker } from '../../../shared/privacy/media-links';
import { startLocalServices, suffix, type LocalServices } from '../kyc/local-services';
import { privacyHarness, type PrivacyHarness } from './privacy-harness';

let services: LocalServices;
let h: PrivacyHarness;
before(async () => {
  services = await startLocalServices();
  h = await privacyHarness(services);
});
after(async () => services?.stop());

describe('exportSubjectData', () => {
  it('it should return the subject verifications with working short-lived media links, and its orders', async () => {
    h.clock.set(new Date()); // links are checked against the real time by the storage service
    const subjectRef = `exported-${suffix()}`;
    const id = await h.postPhoto(subjectRef);
    await h.postPhoto(`not-exported-${suffix()}`);
    const orderId = `o${suffix()}`;
    const receiptName = `${h.tenantId}/${orderId}/receipt-1.pdf`;
    await h.receipts.getBlockBlobClient(receiptName).uploadData(Buffer.from('%PDF-1.4 receipt'), { blobHTTPHeaders: { blobContentType: 'application/pdf' } });
    await h.orders.items.create({
      id: orderId, type: 'order', tenantId: h.tenantId, storeId: 's1', direction: 'payin', amountMinor: 5000, currency: 'RUB',
      method: 'card', customerRef: subjectRef, status: 'completed', createdAt: '2026-11-23T12:00:00.000Z', updatedAt: '2026-11-23T12:00:00.000Z',
      expiresAt: '2026-11-23T12:30:00.000Z', retryCount: 0, storeCommissionBps: 150, ledger: {}, history: [],
    });
    // The same customerRef at another merchant is another person: never in this tenant's export.
    await h.orders.items.create({
      id: `other-${orderId}`, type: 'order', tenantId: `other-${h.tenantId}`, storeId: 's1', direction: 'payin', amountMinor: 7000, currency: 'RUB',
      method: 'card', customerRef: subjectRef, status: 'completed', createdAt: '2026-11-23T12:00:00.000Z', updatedAt: '2026-11-23T12:00:00.000Z',
      expiresAt: '2026-11-23T12:30:00.000Z', retryCount: 0, storeCommissionBps: 150, ledger: {}, history: [],
    });
    const service = h.media.credential ? new BlobServiceClient(h.media.url.replace(/\/[^/]+$/, ''), h.media.credential) : undefined;
    assert.ok(service, 'Azurite clients carry the account key');
    const data = await exportSubjectData(
      {
        verifications: h.verifications,
        media: h.media,
        orders: h.orders,
        receipts: h.receipts,
        links: createMediaLinker(service, h.media),
        receiptLinks: createMediaLinker(service, h.receipts),
        clock: h.clock,
        keys: processKeyRing(),
      },
      { tenantId: h.tenantId, subjectRef, linkMinutes: 15 },
    );
    assert.equal(data.verifications.length, 1);
    const v = data.verifications[0]!;
    assert.equal(v.id, id);
    assert.equal(v.subjectRef, subjectRef);
    assert.deepEqual(v.media.map((m) => m.name).sort(), ['document.jpg', 'manifest.json', 'selfie.png']);
    const document = v.media.find((m) => m.name === 'document.jpg')!;
    assert.equal(document.expiresAt, new Date(h.clock.now().getTime() + 15 * 60_000).toISOString());
    const fetched = await fetch(document.url);
    assert.equal(fetched.status, 200, 'the SAS link works without other credentials');
    assert.equal(Buffer.from(await fetched.arrayBuffer()).length, document.sizeBytes);
    assert.deepEqual(data.orders.map((o) => o.id), [orderId]);
    assert.equal(data.orders[0]!.customerRef, subjectRef);
    const receipts = data.orders[0]!.receiptFiles;
    assert.deepEqual(receipts.map((r) => [r.name, r.contentType, r.sizeBytes]), [['receipt-1.pdf', 'application/pdf', 16]]);
    const receipt = await fetch(receipts[0]!.url);
    assert.equal(receipt.status, 200, 'the receipt link works too');
    assert.equal(await receipt.text(), '%PDF-1.4 receipt');
  });
});
