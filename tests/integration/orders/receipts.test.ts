/**
 * Receipts against real Azurite and the Cosmos-protocol server: the multipart
 * body streams into the receipts container, is sniffed and metered, and the
 * confirmation records it on the order in the same write as the status.
 */
import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import type { ContainerClient } from '@azure/storage-blob';
import { DomainError } from '../../../shared/errors';
import { createAzureBlobStore, type BlobStore } from '../../../shared/kyc/blob-store';
import { receiveReceipt } from '../../../shared/orders/receipts';
import { confirmWithReceipt } from '../../../shared/orders/receipt-confirmation';
import type { Actor } from '../../../shared/orders/schemas';
import { seedOrders } from '../../../scripts/seed-data';
import { startLocalServices, suffix, type LocalServices } from '../kyc/local-services';
import { formRequest, png } from '../kyc/multipart-bodies';
import { openOrdersFixture, type OrdersFixture } from './cosmos-fixture';

const MB = 1024 * 1024;
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n', 'latin1');

/** A multipart body with one `receipt` part of `totalBytes` (head + zeros), generated as it is read. */
function bigReceipt(head: Buffer, totalBytes: number): Request {
  const boundary = '----receipt' + suffix();
  const enc = new TextEncoder();
  const chunk = new Uint8Array(256 * 1024);
  let sent = -1;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent < 0) {
        controller.enqueue(enc.encode(`--${boundary}\r\nContent-Disposition: form-data; name="receipt"; filename="r.pdf"\r\nContent-Type: application/pdf\r\n\r\n`));
        controller.enqueue(new Uint8Array(head));
        sent = head.length;
        return;
      }
      const n = Math.min(chunk.length, totalBytes - sent);
      if (n > 0) {
        controller.enqueue(chunk.slice(0, n));
        sent += n;
        return;
      }
      controller.enqueue(enc.encode(`\r\n--${boundary}--\r\n`));
      controller.close();
    },
  });
  return new Request('http://localhost/x', { method: 'POST', body, duplex: 'half', headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } } as RequestInit);
}

async function rejects(promise: Promise<unknown>, code: string, status: number): Promise<void> {
  await assert.rejects(promise, (e: unknown) => {
    assert.ok(e instanceof DomainError, String(e));
    assert.equal(e.code, code, e.message);
    assert.equal(e.status, status);
    return true;
  });
}

describe('order receipts', () => {
  let services: LocalServices;
  let container: ContainerClient;
  let blobs: BlobStore;
  let fx: OrdersFixture;

  before(async () => {
    services = await startLocalServices();
    container = await services.blobContainer();
    blobs = createAzureBlobStore(container);
    fx = await openOrdersFixture('receipts');
    await seedOrders(fx.db, fx.clock);
  });
  after(async () => {
    await fx?.close();
    await services?.stop();
  });

  const receive = (request: Request, orderId = `o${suffix()}`) =>
    receiveReceipt({ tenantId: 'demo-a', orderId, contentType: request.headers.get('content-type'), contentLength: Number(request.headers.get('content-length')) || null, body: request.body }, { blobs });

  async function names(prefix: string): Promise<string[]> {
    const found: string[] = [];
    for await (const b of container.listBlobsFlat({ prefix })) found.push(b.name);
    return found;
  }

  it('should stream a PDF receipt and a reason into the receipts blob', async () => {
    const orderId = `o${suffix()}`;
    const got = await receive(await formRequest([{ name: 'reason', value: 'sent from Sber' }, { name: 'receipt', file: PDF, type: 'image/png' }]), orderId);
    assert.equal(got.reason, 'sent from Sber');
    assert.equal(got.receipt?.contentType, 'application/pdf', 'the declared type is ignored');
    assert.equal(got.receipt?.sizeBytes, PDF.length);
    assert.match(got.receipt?.blobName ?? '', new RegExp(`^demo-a/${orderId}/receipt-[0-9a-f-]+\\.pdf$`));
    assert.deepEqual(await blobs.download(got.receipt!.blobName), PDF);
  });

  it('should answer without a receipt when the form has none', async () => {
    assert.deepEqual(await receive(await formRequest([{ name: 'reason', value: 'x' }])), { reason: 'x' });
  });

  it('should refuse other file types, extra parts and fields with stable types, storing nothing', async () => {
    const orderId = `o${suffix()}`;
    await rejects(receive(await formRequest([{ name: 'receipt', file: Buffer.from('just text, not a receipt') }]), orderId), 'unsupported-media-type', 415);
    await rejects(receive(await formRequest([{ name: 'document', file: PDF }]), orderId), 'bad-request', 400);
    await rejects(receive(await formRequest([{ name: 'receipt', file: PDF }, { name: 'receipt', file: PDF }]), orderId), 'bad-request', 400);
    await rejects(receive(await formRequest([{ name: 'amount', value: '1' }]), orderId), 'bad-request', 400);
    await rejects(receive(await formRequest([{ name: 'receipt', file: Buffer.alloc(0) }]), orderId), 'bad-request', 400);
    assert.deepEqual(await names(`demo-a/${orderId}/`), []);
  });

  it('should stop an 11 MB receipt at 10 MB with 413 and delete the partial blob', async () => {
    const orderId = `o${suffix()}`;
    await rejects(receive(bigReceipt(PDF, 11 * MB), orderId), 'payload-too-large', 413);
    assert.deepEqual(await names(`demo-a/${orderId}/`), []);
    const fits = await receive(bigReceipt(PDF, 10 * MB), orderId);
    assert.equal(fits.receipt?.sizeBytes, 10 * MB);
  });

  it('should require a receipt for a pay-out confirmed by its trader and record it with the status', async () => {
    const engine = fx.engine();
    const merchantB: Actor = { role: 'merchant', id: 'm', tenantId: 'demo-b' };
    const order = await engine.createOrder({ tenantId: 'demo-b', direction: 'payout', body: { amount: '500.00', currency: 'RUB', method: 'card', customerRef: 'po-r', payee: { cardNumber: '4111 1111 1111 1111', holderName: 'ANNA K.' } }, actor: merchantB });
    const { order: assigned } = await engine.assignOrder('demo-b', order.id);
    const traderId = assigned.assignment!.traderId;
    const trader: Actor = { role: 'trader', id: `user:${traderId}`, traderId };
    const request = (read: () => Promise<{ receipt?: never } | Awaited<ReturnType<typeof receive>>>, actor = trader) =>
      confirmWithReceipt(engine.deps, blobs, {
        actor,
        tenantId: 'demo-b',
        orderId: order.id,
        action: (o) => (o.direction === 'payout' ? 'confirm_payment' : 'confirm'),
        receiptRequired: (o) => o.direction === 'payout',
        read,
      });
    await rejects(request(async () => ({})), 'receipt-required', 400);
    let readCalled = false;
    const stranger: Actor = { role: 'trader', id: 'user:x', traderId: 'trader-x' };
    await rejects(request(async () => ((readCalled = true), {}), stranger), 'forbidden', 403);
    assert.equal(readCalled, false, 'nothing is read (or stored) before the transition is known to be allowed');

    const image = await png();
    const confirmed = await request(async () => {
      const req = await formRequest([{ name: 'receipt', file: image }]);
      return receiveReceipt({ tenantId: 'demo-b', orderId: order.id, contentType: req.headers.get('content-type'), body: req.body }, { blobs });
    });
    assert.equal(confirmed.status, 'awaiting_confirmation');
    assert.equal(confirmed.receipts?.length, 1);
    assert.equal(confirmed.receipts?.[0]?.contentType, 'image/png');
    assert.equal(confirmed.receipts?.[0]?.role, 'trader');
    assert.ok(confirmed.receipts?.[0]?.blobName.startsWith(`demo-b/${order.id}/receipt-`));
    assert.equal(await blobs.exists(confirmed.receipts![0]!.blobName), true);

    // A second confirmation is an illegal transition (409 with the status) and stores nothing more.
    await rejects(request(async () => assert.fail('must not read')), 'illegal-transition', 409);
    assert.equal((await names(`demo-b/${order.id}/`)).length, 1);
  });
});
