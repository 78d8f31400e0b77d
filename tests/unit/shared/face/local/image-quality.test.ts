import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import sharp from 'sharp';
import { laplacianVariance, measureQuality } from '../../../../../shared/face/local/image-quality';

async function rgb(image: sharp.Sharp) {
  const { data, info } = await image.removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, scale: 1 };
}

describe('image quality', () => {
  it('should give zero Laplacian variance for a flat image and a large one for a checkerboard', () => {
    assert.equal(laplacianVariance(new Uint8Array(100).fill(128), 10, 10), 0);
    const checker = new Uint8Array(100).map((_, i) => ((i % 10) + Math.floor(i / 10)) % 2 ? 255 : 0);
    assert.ok(laplacianVariance(checker, 10, 10) > 10000);
  });

  it('should grade a sharp, well exposed, large crop high and a flat dark one low', async () => {
    const noise = Buffer.alloc(200 * 200 * 3).map((_, i) => 60 + ((i * 7919) % 131));
    const sharpImg = await rgb(sharp(noise, { raw: { width: 200, height: 200, channels: 3 } }));
    const good = await measureQuality(sharpImg, { x: 20, y: 20, width: 150, height: 160 }, 0.99);
    assert.equal(good.quality, 'high');
    const dark = await rgb(sharp({ create: { width: 200, height: 200, channels: 3, background: '#050505' } }));
    const bad = await measureQuality(dark, { x: 20, y: 20, width: 150, height: 150 }, 0.99);
    assert.equal(bad.quality, 'low');
    assert.ok(bad.signals.exposure! < 0.05);
  });
});
