import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { open } from 'node:fs/promises';
import { describe, it } from 'node:test';
import { loadSharp } from '../../../../shared/media/load-sharp';
import { ACCEPTED_IMAGE_MIME, ACCEPTED_VIDEO_MIME, SNIFF_BYTES, sniffMedia } from '../../../../shared/media/sniff';
import { liveClip, streamedWebm, transcodedClip } from '../../../support/media-fixtures';

async function head(path: string): Promise<Buffer> {
  const file = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(SNIFF_BYTES);
    const { bytesRead } = await file.read(buffer, 0, SNIFF_BYTES, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await file.close();
  }
}

const image = () => loadSharp()({ create: { width: 64, height: 48, channels: 3, background: '#3366aa' } });

describe('sniffMedia', () => {
  it('should recognise each accepted image format from sharp-made files', async () => {
    const made = {
      'image/jpeg': await image().jpeg().toBuffer(),
      'image/png': await image().png().toBuffer(),
      'image/webp': await image().webp().toBuffer(),
      'image/avif': await image().avif().toBuffer(),
      'image/tiff': await image().tiff().toBuffer(),
    };
    for (const [mime, bytes] of Object.entries(made)) assert.equal(sniffMedia(bytes)?.mime, mime, mime);
    assert.deepEqual(Object.keys(made).sort(), [...ACCEPTED_IMAGE_MIME].sort());
  });

  it('should recognise big-endian TIFF', () => {
    assert.equal(sniffMedia(Buffer.from([0x4d, 0x4d, 0x00, 0x2a, 0, 0, 0, 8]))?.mime, 'image/tiff');
  });

  it('should recognise MP4, QuickTime and WebM (VP8, VP9, streamed) made by ffmpeg', async () => {
    const cases: Array<[string, string]> = [
      [await transcodedClip('grid_bbaf2n', 'mp4'), 'video/mp4'],
      [await transcodedClip('grid_bbaf2n', 'mov'), 'video/quicktime'],
      [await transcodedClip('grid_bbaf2n', 'webm-vp8'), 'video/webm'],
      [await transcodedClip('grid_bbaf2n', 'webm-vp9'), 'video/webm'],
      [await streamedWebm(), 'video/webm'],
      [liveClip('pyfeat_single_face.mp4'), 'video/mp4'],
    ];
    for (const [path, mime] of cases) {
      const sniffed = sniffMedia(await head(path));
      assert.equal(sniffed?.mime, mime, path);
      assert.equal(sniffed?.kind, 'video');
    }
    assert.deepEqual([...new Set(cases.map(([, mime]) => mime))].sort(), [...ACCEPTED_VIDEO_MIME].sort());
  });

  it('should recognise a QuickTime movie without ftyp by its first atom', () => {
    const wide = Buffer.from('00000008776964650000100C6D646174', 'hex'); // wide, then mdat
    assert.equal(sniffMedia(wide)?.mime, 'video/quicktime');
  });

  it('should recognise MP4 by a compatible brand when the major brand is unusual', () => {
    assert.equal(sniffMedia(ftyp('XAVC', ['XAVC', 'mp42', 'iso2']))?.mime, 'video/mp4');
  });

  it('should recognise AVIF declared through mif1 with an avif compatible brand', () => {
    assert.equal(sniffMedia(ftyp('mif1', ['mif1', 'avif', 'miaf']))?.mime, 'image/avif');
  });

  it('should reject HEIC, Matroska, MPEG-1, GIF and unknown bytes', async () => {
    assert.equal(sniffMedia(ftyp('heic', ['mif1', 'heic'])), null);
    assert.equal(sniffMedia(await head(liveClip('intel_asl_book.mkv'))), null);
    assert.equal(sniffMedia(await head(liveClip('grid_bbaf2n.mpg'))), null);
    assert.equal(sniffMedia(Buffer.from('GIF89a\x01\x00\x01\x00', 'latin1')), null);
    assert.equal(sniffMedia(Buffer.from('<?xml version="1.0"?><svg/>')), null);
    assert.equal(sniffMedia(Buffer.from('#EXTM3U\nhttp://example.com/a.ts\n')), null);
  });

  it('should return null for short or empty input instead of throwing', () => {
    for (let length = 0; length < 16; length++) sniffMedia(Buffer.alloc(length, 0xff));
    assert.equal(sniffMedia(new Uint8Array(0)), null);
    assert.equal(sniffMedia(Buffer.from([0x1a, 0x45, 0xdf, 0xa3])), null); // EBML magic, no header
  });

  it('should never throw on random bytes, with or without a plausible prefix', () => {
    const prefixes = [Buffer.from('1a45dfa3', 'hex'), Buffer.from('0000001c66747970', 'hex'), Buffer.alloc(0)];
    for (let i = 0; i < 3000; i++) {
      const prefix = prefixes[i % prefixes.length] ?? Buffer.alloc(0);
      sniffMedia(Buffer.concat([prefix, randomBytes(i % 64)]));
    }
  });
});

function ftyp(major: string, compatible: string[]): Buffer {
  const size = 16 + 4 * compatible.length;
  const box = Buffer.alloc(size);
  box.writeUInt32BE(size, 0);
  box.write('ftyp', 4, 'latin1');
  box.write(major, 8, 'latin1');
  compatible.forEach((brand, i) => box.write(brand, 16 + 4 * i, 'latin1'));
  return box;
}
