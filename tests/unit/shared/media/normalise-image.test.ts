import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadSharp } from '../../../../shared/media/load-sharp';
import { MediaError } from '../../../../shared/media/media-error';
import { normaliseImage, planSize } from '../../../../shared/media/normalise-image';
import { jpegWithExif, largePhoto, pngDecompressionBomb, privateCopy, stillFrame } from '../../../support/media-fixtures';

const reason = (expected: string) => (error: unknown) => error instanceof MediaError && error.reason === expected;
const sharp = () => loadSharp();
/** EXIF tag 0x8825 (GPSInfo IFD pointer), in either byte order. */
const hasGpsPointer = (exif: Buffer) => exif.includes(Buffer.from([0x88, 0x25])) || exif.includes(Buffer.from([0x25, 0x88]));

describe('normaliseImage', () => {
  it('should apply EXIF orientation 6 and strip all metadata including GPS', async () => {
    const input = await jpegWithExif(6);
    const before = await sharp()(input).metadata();
    assert.equal(before.orientation, 6);
    assert.ok(before.exif && hasGpsPointer(before.exif), 'fixture carries a GPS IFD');
    assert.deepEqual([before.width, before.height], [360, 288]);

    const out = await normaliseImage(input);
    const after = await sharp()(out.jpeg).metadata();
    assert.deepEqual([after.format, after.width, after.height], ['jpeg', 288, 360]);
    assert.deepEqual([out.width, out.height], [288, 360]);
    assert.equal(after.exif, undefined);
    assert.equal(after.xmp, undefined);
    assert.equal(after.iptc, undefined);
    assert.equal(after.icc, undefined);
    assert.equal(after.orientation, undefined);
    assert.equal(out.jpeg.includes(Buffer.from('VouchTest')), false);
  });

  it('should downscale a large photo into 4096 px keeping the ratio', async () => {
    const out = await normaliseImage(await largePhoto(6000, 4000));
    assert.deepEqual([out.width, out.height], [4096, 2731]);
    assert.ok(out.jpeg.length <= 6 * 1024 * 1024);
  });

  it('should keep a 12 MP photo at its size', async () => {
    const out = await normaliseImage(await largePhoto());
    assert.deepEqual([out.width, out.height], [4000, 3000]);
  });

  it('should upscale a tiny image to at least 36 px', async () => {
    const tiny = await sharp()({ create: { width: 10, height: 12, channels: 3, background: '#884422' } }).png().toBuffer();
    const out = await normaliseImage(tiny);
    assert.deepEqual([out.width, out.height], [36, 43]);
  });

  it('should pad a thin strip that cannot be upscaled within 4096 px', async () => {
    const strip = await sharp()({ create: { width: 2, height: 3000, channels: 3, background: '#884422' } }).png().toBuffer();
    const out = await normaliseImage(strip);
    assert.ok(out.width >= 36 && out.height <= 4096, `${out.width}x${out.height}`);
    const metadata = await sharp()(out.jpeg).metadata();
    assert.deepEqual([metadata.width, metadata.height], [out.width, out.height]);
  });

  it('should read a file path, and PNG with alpha, WebP, AVIF and TIFF', async () => {
    const copy = await privateCopy(await stillFrame());
    try {
      assert.equal((await normaliseImage(copy.path)).width, 360);
    } finally {
      await copy.dispose();
    }
    const rgba = sharp()({ create: { width: 50, height: 40, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } } });
    for (const bytes of [await rgba.clone().png().toBuffer(), await rgba.clone().webp().toBuffer(), await rgba.clone().avif().toBuffer(), await rgba.clone().tiff().toBuffer()]) {
      const out = await normaliseImage(bytes);
      assert.deepEqual([out.width, out.height], [50, 40]);
    }
    // Transparent pixels end up white, not black.
    const { data } = await sharp()((await normaliseImage(await rgba.clone().png().toBuffer())).jpeg).raw().toBuffer({ resolveWithObject: true });
    assert.ok((data[0] ?? 0) > 240);
  });

  it('should reject a PNG decompression bomb with MEDIA_TOO_LARGE', async () => {
    const bomb = await pngDecompressionBomb();
    assert.ok(bomb.length < 200_000, `bomb is ${bomb.length} bytes`);
    await assert.rejects(normaliseImage(bomb), reason('MEDIA_TOO_LARGE'));
    await assert.rejects(normaliseImage(await largePhoto(), { maxInputPixels: 1_000_000 }), reason('MEDIA_TOO_LARGE'));
  });

  it('should reject corrupt and truncated bytes with UNREADABLE_MEDIA', async () => {
    const jpeg = await largePhoto();
    await assert.rejects(normaliseImage(Buffer.from('definitely not an image')), reason('UNREADABLE_MEDIA'));
    await assert.rejects(normaliseImage(Buffer.alloc(0)), reason('UNREADABLE_MEDIA'));
    await assert.rejects(normaliseImage(jpeg.subarray(0, Math.floor(jpeg.length / 2))), reason('UNREADABLE_MEDIA'));
    const scrambled = Buffer.from(jpeg);
    for (let i = 600; i < scrambled.length; i += 97) scrambled[i] = 0xff;
    await assert.rejects(normaliseImage(scrambled), reason('UNREADABLE_MEDIA'));
    await assert.rejects(normaliseImage('/nonexistent/photo.jpg'), reason('UNREADABLE_MEDIA'));
  });

  it('should lower the quality until the output fits maxBytes', async () => {
    const photo = await largePhoto(2000, 1500);
    const at85 = (await normaliseImage(photo)).jpeg.length;
    const at45 = (await normaliseImage(photo, { quality: 45 })).jpeg.length;
    assert.ok(at45 < at85);
    const limit = Math.floor((at45 + at85) / 2);
    const out = await normaliseImage(photo, { maxBytes: limit });
    assert.ok(out.jpeg.length <= limit);
    await assert.rejects(normaliseImage(photo, { maxBytes: Math.floor(at45 / 2) }), reason('MEDIA_TOO_LARGE'));
  });
});

describe('planSize', () => {
  it('should keep in-bounds sizes, scale down, scale up and pad', () => {
    assert.deepEqual(planSize(640, 480), { width: 640, height: 480, pad: { left: 0, right: 0, top: 0, bottom: 0 } });
    assert.deepEqual(planSize(8192, 4096), { width: 4096, height: 2048, pad: { left: 0, right: 0, top: 0, bottom: 0 } });
    assert.deepEqual(planSize(18, 10), { width: 65, height: 36, pad: { left: 0, right: 0, top: 0, bottom: 0 } });
    assert.deepEqual(planSize(2, 3000), { width: 3, height: 4096, pad: { left: 16, right: 17, top: 0, bottom: 0 } });
  });
});
