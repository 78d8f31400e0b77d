import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { identifyMedia, identifyMediaFile } from '../../../../shared/media/identify-media';
import { MediaError } from '../../../../shared/media/media-error';
import { jpegNamedMp4, transcodedClip, zeroByteVideo } from '../../../support/media-fixtures';
import { readFile } from 'node:fs/promises';

const reason = (expected: string) => (error: unknown) => error instanceof MediaError && error.reason === expected;

describe('identifyMedia', () => {
  it('should trust the content, not a missing or uninformative declared type', async () => {
    const jpeg = await readFile(await jpegNamedMp4());
    assert.equal(identifyMedia(jpeg).mime, 'image/jpeg');
    assert.equal(identifyMedia(jpeg, { declaredMime: 'application/octet-stream' }).mime, 'image/jpeg');
  });

  it('should reject a JPEG declared as MP4 with MEDIA_TYPE_MISMATCH', async () => {
    const jpeg = await readFile(await jpegNamedMp4());
    assert.throws(() => identifyMedia(jpeg, { declaredMime: 'video/mp4' }), reason('MEDIA_TYPE_MISMATCH'));
    assert.throws(() => identifyMedia(jpeg, { declaredMime: 'image/png' }), reason('MEDIA_TYPE_MISMATCH'));
  });

  it('should accept aliases, parameters and the MP4/QuickTime family', async () => {
    const jpeg = await readFile(await jpegNamedMp4());
    assert.equal(identifyMedia(jpeg, { declaredMime: 'IMAGE/JPG' }).mime, 'image/jpeg');
    const mov = await readFile(await transcodedClip('grid_bbaf2n', 'mov'));
    assert.equal(identifyMedia(mov, { declaredMime: 'video/mp4' }).mime, 'video/quicktime');
    const webm = await readFile(await transcodedClip('grid_bbaf2n', 'webm-vp8'));
    assert.equal(identifyMedia(webm, { declaredMime: 'video/webm;codecs=vp8,opus' }).mime, 'video/webm');
  });

  it('should answer empty input with UNREADABLE_MEDIA and unknown bytes with UNSUPPORTED_MEDIA_TYPE', () => {
    assert.throws(() => identifyMedia(Buffer.alloc(0)), reason('UNREADABLE_MEDIA'));
    assert.throws(() => identifyMedia(Buffer.from('hello world, not media')), reason('UNSUPPORTED_MEDIA_TYPE'));
  });

  it('should check files: size limit, empty file, missing file', async () => {
    const mp4 = await transcodedClip('grid_bbaf2n', 'mp4');
    assert.equal((await identifyMediaFile(mp4)).mime, 'video/mp4');
    await assert.rejects(identifyMediaFile(mp4, { maxBytes: 100 }), reason('MEDIA_TOO_LARGE'));
    await assert.rejects(identifyMediaFile(await zeroByteVideo()), reason('UNREADABLE_MEDIA'));
    await assert.rejects(identifyMediaFile('/nonexistent/upload.mp4'), reason('UNREADABLE_MEDIA'));
  });
});
