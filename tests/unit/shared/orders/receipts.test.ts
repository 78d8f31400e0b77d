import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { isMultipart, receiptBlobName, sniffReceipt } from '../../../../shared/orders/receipts';

describe('receipt sniffing', () => {
  it('should recognise JPEG, PNG and PDF by their magic bytes only', () => {
    assert.equal(sniffReceipt(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0]))?.mime, 'image/jpeg');
    assert.equal(sniffReceipt(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]))?.mime, 'image/png');
    assert.deepEqual(sniffReceipt(Buffer.from('%PDF-1.7\n%âãÏÓ\n', 'latin1')), { mime: 'application/pdf', ext: 'pdf' });
  });

  it('should refuse other media and text that merely claims to be a PDF', () => {
    assert.equal(sniffReceipt(Buffer.from('RIFF\0\0\0\0WEBPVP8 ', 'latin1')), null, 'WebP is an image but not a receipt format');
    assert.equal(sniffReceipt(Buffer.from('hello %PDF-1.4')), null);
    assert.equal(sniffReceipt(Buffer.from('%PD')), null);
    assert.equal(sniffReceipt(Buffer.alloc(0)), null);
  });

  it('should place receipts under the order', () => {
    assert.equal(receiptBlobName('demo-a', 'o-1', 'pdf', 'x'), 'demo-a/o-1/receipt-x.pdf');
    assert.match(receiptBlobName('demo-a', 'o-1', 'png'), /^demo-a\/o-1\/receipt-[0-9a-f-]{36}\.png$/);
    assert.equal(isMultipart('multipart/form-data; boundary=x'), true);
    assert.equal(isMultipart('application/json'), false);
    assert.equal(isMultipart(null), false);
  });
});
