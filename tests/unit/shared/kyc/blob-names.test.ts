import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { frameBlobName, manifestBlobName, mediaBlobName, parseMediaBlobName } from '../../../../shared/kyc/blob-names';

describe('blob names', () => {
  it('it should name media, frames and the manifest under the verification prefix', () => {
    assert.equal(mediaBlobName('t1', 'v1', 'selfie-video', 'mp4'), 't1/v1/selfie-video.mp4');
    assert.equal(frameBlobName('t1', 'v1', 3), 't1/v1/frames/03.jpg');
    assert.equal(manifestBlobName('t1', 'v1'), 't1/v1/manifest.json');
  });
  it('it should parse names back, with or without the container', () => {
    assert.deepEqual(parseMediaBlobName('kyc-media/t1/v1/manifest.json'), { tenantId: 't1', verificationId: 'v1', part: 'manifest' });
    assert.deepEqual(parseMediaBlobName('t1/v1/document.jpg'), { tenantId: 't1', verificationId: 'v1', part: 'document' });
    assert.deepEqual(parseMediaBlobName('t1/v1/frames/00.jpg'), { tenantId: 't1', verificationId: 'v1', part: 'frame' });
  });
  it('it should refuse names it did not make', () => {
    for (const n of ['t1/v1/other.jpg', '../v1/document.jpg', 't1/v1/x/document.jpg', 'receipts/t1/o1/r.pdf']) {
      assert.equal(parseMediaBlobName(n), undefined, n);
    }
  });
});
