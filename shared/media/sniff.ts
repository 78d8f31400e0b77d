/**
 * Content sniffing: what the bytes are, from their magic numbers, whatever the
 * client declared. Only formats the pipeline can decode and a client plausibly
 * sends are recognised; anything else is `null`.
 */

export type MediaKind = 'image' | 'video';

export interface SniffedMedia {
  kind: MediaKind;
  /** Canonical MIME type of the content. */
  mime: AcceptedMime;
  /** File extension without the dot, for temp files and blob names. */
  ext: string;
}

export const ACCEPTED_IMAGE_MIME = ['image/jpeg', 'image/png', 'image/webp', 'image/avif', 'image/tiff'] as const;
/**
 * Matroska (`.mkv`) is deliberately absent although ffmpeg reads it: no browser or
 * phone camera records it (MediaRecorder writes WebM, iOS/Android write MP4/QuickTime),
 * and it admits any codec plus attachments, so accepting it would only widen what
 * hostile uploads can reach in ffmpeg.
 */
export const ACCEPTED_VIDEO_MIME = ['video/mp4', 'video/quicktime', 'video/webm'] as const;
export type AcceptedMime = (typeof ACCEPTED_IMAGE_MIME)[number] | (typeof ACCEPTED_VIDEO_MIME)[number];

/** Bytes to read from the start of a file for `sniffMedia` (the EBML header and `ftyp` box fit well inside). */
export const SNIFF_BYTES = 4096;

const media = (kind: MediaKind, mime: AcceptedMime, ext: string): SniffedMedia => ({ kind, mime, ext });
const JPEG = media('image', 'image/jpeg', 'jpg');
const PNG = media('image', 'image/png', 'png');
const WEBP = media('image', 'image/webp', 'webp');
const AVIF = media('image', 'image/avif', 'avif');
const TIFF = media('image', 'image/tiff', 'tiff');
const MP4 = media('video', 'video/mp4', 'mp4');
const QUICKTIME = media('video', 'video/quicktime', 'mov');
const WEBM = media('video', 'video/webm', 'webm');

/** Identifies the media type from the first bytes of the content (pass at least `SNIFF_BYTES` when available). */
export function sniffMedia(head: Uint8Array): SniffedMedia | null {
  const b = Buffer.from(head.buffer, head.byteOffset, head.byteLength);
  if (startsWith(b, [0xff, 0xd8, 0xff])) return JPEG;
  if (startsWith(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return PNG;
  if (ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 4) === 'WEBP') return WEBP;
  if (startsWith(b, [0x49, 0x49, 0x2a, 0x00]) || startsWith(b, [0x4d, 0x4d, 0x00, 0x2a])) return TIFF;
  if (startsWith(b, [0x1a, 0x45, 0xdf, 0xa3])) return ebmlDocType(b) === 'webm' ? WEBM : null;
  return sniffIsoBmff(b);
}

/** ISO base media files (MP4, QuickTime, AVIF): the `ftyp` brands, or for old QuickTime files the first atom. */
function sniffIsoBmff(b: Buffer): SniffedMedia | null {
  if (b.length < 12) return null;
  const boxType = ascii(b, 4, 4);
  if (boxType !== 'ftyp') return QUICKTIME_FIRST_ATOMS.has(boxType) && plausibleBoxSize(b) ? QUICKTIME : null;

  const boxSize = Math.min(b.readUInt32BE(0), b.length);
  const major = ascii(b, 8, 4);
  const compatible: string[] = [];
  for (let at = 16; at + 4 <= boxSize; at += 4) compatible.push(ascii(b, at, 4));
  const brands = [major, ...compatible];

  // Images first: an AVIF may list ISO video brands among its compatible ones.
  if (major === 'avif' || major === 'avis' || (HEIF_CONTAINER_BRANDS.has(major) && brands.includes('avif'))) return AVIF;
  if (HEIF_CONTAINER_BRANDS.has(major) || HEIC_BRANDS.has(major)) return null; // HEIC: sharp's prebuilt libvips cannot decode HEVC.
  if (major === 'qt  ') return QUICKTIME;
  if (brands.some((brand) => MP4_BRANDS.has(brand) || /^iso[2-9a-z]$/.test(brand))) return MP4;
  return null;
}

const MP4_BRANDS = new Set(['isom', 'mp41', 'mp42', 'avc1', 'M4V ', 'M4VP', 'M4VH', 'dash', 'mmp4', 'MSNV', 'f4v ', 'hvc1', 'av01']);
const HEIF_CONTAINER_BRANDS = new Set(['mif1', 'msf1', 'miaf']);
const HEIC_BRANDS = new Set(['heic', 'heix', 'heim', 'heis', 'hevc', 'hevx']);
/** Atoms a QuickTime movie without `ftyp` can start with. */
const QUICKTIME_FIRST_ATOMS = new Set(['moov', 'mdat', 'wide', 'free', 'skip', 'pnot']);

/** A box size of 0 ("to end of file"), 1 (64-bit size follows) or at least its own 8-byte header. */
function plausibleBoxSize(b: Buffer): boolean {
  const size = b.readUInt32BE(0);
  return size === 0 || size === 1 || size >= 8;
}

/** Reads the DocType string from an EBML header (element 0x4282), or undefined if absent or malformed. */
function ebmlDocType(b: Buffer): string | undefined {
  const headerSize = readVint(b, 4);
  if (!headerSize) return undefined;
  let at = 4 + headerSize.length;
  const end = Math.min(b.length, at + headerSize.value);
  while (at < end) {
    const id = readVint(b, at, true);
    if (!id) return undefined;
    const size = readVint(b, at + id.length);
    if (!size) return undefined;
    const dataAt = at + id.length + size.length;
    if (id.value === 0x4282) return ascii(b, dataAt, Math.min(size.value, end - dataAt)).replace(/\0+$/, '');
    at = dataAt + size.value;
  }
  return undefined;
}

/** EBML variable-length integer; `keepMarker` for element IDs, which include their length bits. */
function readVint(b: Buffer, at: number, keepMarker = false): { value: number; length: number } | undefined {
  const first = b[at];
  if (first === undefined || first === 0) return undefined;
  const length = Math.clz32(first) - 23; // leading zero bits within the byte + 1
  if (length > 8 || at + length > b.length) return undefined;
  let value = keepMarker ? first : first & (0xff >> length);
  for (let i = 1; i < length; i++) value = value * 256 + (b[at + i] ?? 0);
  return { value, length };
}

function startsWith(b: Buffer, bytes: readonly number[]): boolean {
  return b.length >= bytes.length && bytes.every((byte, i) => b[i] === byte);
}

function ascii(b: Buffer, at: number, length: number): string {
  return at >= 0 && length > 0 && at + length <= b.length ? b.toString('latin1', at, at + length) : '';
}
