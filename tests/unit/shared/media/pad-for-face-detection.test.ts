import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadSharp } from '../../../../shared/media/load-sharp';
import { MediaError } from '../../../../shared/media/media-error';
import { padForFaceDetection } from '../../../../shared/media/pad-for-face-detection';

describe('padForFaceDetection', () => {
  it('should add ratio × each side of grey border and report the offset', async () => {
    const jpeg = await loadSharp()({ create: { width: 200, height: 100, channels: 3, background: '#ff0000' } }).jpeg().toBuffer();
    const padded = await padForFaceDetection(jpeg, 0.25);
    assert.deepEqual([padded.width, padded.height, padded.offsetX, padded.offsetY], [300, 150, 50, 25]);
    const { data, info } = await loadSharp()(padded.jpeg).raw().toBuffer({ resolveWithObject: true });
    const pixel = (x: number, y: number) => [...data.subarray((y * info.width + x) * 3, (y * info.width + x) * 3 + 3)];
    assert.ok(pixel(5, 5).every((v) => Math.abs(v - 128) < 8), `corner ${pixel(5, 5).join(',')}`);
    assert.ok((pixel(150, 75)[0] ?? 0) > 230, 'centre stays red');
  });

  it('should reject corrupt bytes and a silly ratio', async () => {
    await assert.rejects(padForFaceDetection(Buffer.alloc(0)), (e: unknown) => e instanceof MediaError && e.reason === 'UNREADABLE_MEDIA');
    await assert.rejects(padForFaceDetection(Buffer.from('nope')), (e: unknown) => e instanceof MediaError && e.reason === 'UNREADABLE_MEDIA');
    await assert.rejects(padForFaceDetection(Buffer.alloc(10), -1), RangeError);
  });
});
