import { open } from 'node:fs/promises';
import { MediaError } from './media-error';
import { SNIFF_BYTES, sniffMedia, type SniffedMedia } from './sniff';

export interface IdentifyOptions {
  /** MIME type the client declared (Content-Type, multipart part type); parameters like `;codecs=vp8` are ignored. */
  declaredMime?: string;
}

/** Declared types that say nothing about the content, so they cannot contradict it. */
const UNINFORMATIVE = new Set(['', 'application/octet-stream', 'binary/octet-stream']);

/** Common spellings of the same types. */
const ALIASES: Record<string, string> = {
  'image/jpg': 'image/jpeg',
  'image/pjpeg': 'image/jpeg',
  'image/x-png': 'image/png',
  'image/tif': 'image/tiff',
  'video/x-m4v': 'video/mp4',
  'video/x-quicktime': 'video/quicktime',
};

/**
 * MP4 and QuickTime are the same ISO-BMFF family and phones and browsers label
 * them interchangeably, so one declared as the other is not a lie.
 */
const FAMILY: Record<string, string> = { 'video/quicktime': 'video/mp4' };

/**
 * What the content is, from its bytes. Throws `UNSUPPORTED_MEDIA_TYPE` for
 * anything not accepted, `UNREADABLE_MEDIA` for no bytes at all, and
 * `MEDIA_TYPE_MISMATCH` when the declared type names a different format.
 */
export function identifyMedia(head: Uint8Array, options: IdentifyOptions = {}): SniffedMedia {
  if (head.byteLength === 0) throw new MediaError('UNREADABLE_MEDIA', 'The file is empty');
  const sniffed = sniffMedia(head);
  if (!sniffed) throw new MediaError('UNSUPPORTED_MEDIA_TYPE', 'The file is not a supported image or video format');
  const declared = canonicalMime(options.declaredMime);
  if (declared !== undefined && family(declared) !== family(sniffed.mime)) {
    throw new MediaError('MEDIA_TYPE_MISMATCH', `The file was declared as ${declared} but is ${sniffed.mime}`, {
      declaredMime: declared,
      actualMime: sniffed.mime,
    });
  }
  return sniffed;
}

/** `identifyMedia` on the first bytes of a file, after checking its size (`maxBytes`, `MEDIA_TOO_LARGE`). */
export async function identifyMediaFile(
  path: string,
  options: IdentifyOptions & { maxBytes?: number } = {},
): Promise<SniffedMedia> {
  const file = await open(path, 'r').catch((error: unknown) => {
    throw new MediaError('UNREADABLE_MEDIA', 'The file could not be opened', {}, error);
  });
  try {
    const { size } = await file.stat();
    if (options.maxBytes !== undefined && size > options.maxBytes) {
      throw new MediaError('MEDIA_TOO_LARGE', 'The file is too large', { maxBytes: options.maxBytes });
    }
    const head = Buffer.alloc(Math.min(SNIFF_BYTES, size));
    const { bytesRead } = await file.read(head, 0, head.length, 0);
    return identifyMedia(head.subarray(0, bytesRead), options);
  } finally {
    await file.close();
  }
}

/** The declared type lower-cased, without parameters, aliases resolved; undefined when it carries no information. */
function canonicalMime(declared: string | undefined): string | undefined {
  const bare = (declared ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (UNINFORMATIVE.has(bare)) return undefined;
  return ALIASES[bare] ?? bare;
}

const family = (mime: string) => FAMILY[mime] ?? mime;
