/** Multipart request bodies for the KYC tests: small ones via FormData, a large one streamed. */
import { readFileSync } from 'node:fs';
import { loadSharp } from '../../../shared/media/load-sharp';
import { liveClip, MP4_CLIPS } from '../../support/media-fixtures';

export async function jpeg(width = 64, height = 64): Promise<Buffer> {
  return loadSharp()({ create: { width, height, channels: 3, background: { r: 200, g: 120, b: 80 } } }).jpeg().toBuffer();
}
export async function png(width = 64, height = 64): Promise<Buffer> {
  return loadSharp()({ create: { width, height, channels: 3, background: { r: 20, g: 120, b: 80 } } }).png().toBuffer();
}
export const realMp4 = (): Buffer => readFileSync(liveClip(MP4_CLIPS[2]));

export type Part = { name: string; value: string } | { name: string; file: Buffer; type?: string; filename?: string };

/**
 * A `Request` whose body FormData encodes (random boundary, like a browser). The encoded
 * bytes are materialised first: undici's own FormData body stream throws an uncaught
 * "ReadableStream is already closed" when its reader is cancelled mid-body (an undici
 * quirk of in-process FormData bodies, not of bodies arriving over a socket).
 */
export async function formRequest(parts: Part[], headers: Record<string, string> = {}): Promise<Request> {
  const form = new FormData();
  for (const p of parts) {
    if ('value' in p) form.append(p.name, p.value);
    else form.append(p.name, new Blob([p.file], { type: p.type ?? 'application/octet-stream' }), p.filename ?? p.name);
  }
  const encoded = new Response(form);
  const body = new Uint8Array(await encoded.arrayBuffer());
  return new Request('http://localhost/api/v1/verifications', {
    method: 'POST',
    body,
    headers: { ...headers, 'content-type': encoded.headers.get('content-type') ?? '' },
  });
}

/**
 * A multipart body whose `name` part is `head` followed by zero bytes up to `totalBytes`,
 * generated chunk by chunk: the test process never holds the file either.
 */
export function streamedRequest(opts: {
  document: Buffer;
  name: string;
  head: Buffer;
  totalBytes: number;
  contentType?: string;
}): Request {
  const boundary = '----vouchtest' + Math.random().toString(16).slice(2);
  const enc = new TextEncoder();
  const partHeader = (name: string, type: string) =>
    enc.encode(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"; filename="${name}"\r\nContent-Type: ${type}\r\n\r\n`);
  const chunk = new Uint8Array(256 * 1024);
  let sent = 0;
  let stage = 0;
  const body = new ReadableStream<Uint8Array>({
    cancel() {
      stage = 2;
    },
    pull(controller) {
      if (stage === 2) return;
      if (stage === 0) {
        controller.enqueue(partHeader('document', 'image/jpeg'));
        controller.enqueue(new Uint8Array(opts.document));
        controller.enqueue(enc.encode('\r\n'));
        controller.enqueue(partHeader(opts.name, opts.contentType ?? 'video/mp4'));
        controller.enqueue(new Uint8Array(opts.head));
        sent = opts.head.length;
        stage = 1;
        return;
      }
      if (stage === 1) {
        const n = Math.min(chunk.length, opts.totalBytes - sent);
        if (n > 0) {
          controller.enqueue(n === chunk.length ? chunk.slice() : chunk.slice(0, n));
          sent += n;
          return;
        }
        controller.enqueue(enc.encode(`\r\n--${boundary}--\r\n`));
        controller.close();
        stage = 2;
      }
    },
  });
  return new Request('http://localhost/api/v1/verifications', {
    method: 'POST',
    body,
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
    duplex: 'half',
  } as RequestInit);
}
