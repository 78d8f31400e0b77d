import type { HttpRequest } from '@azure/functions';
import { badRequest } from '../errors';
import { HttpDomainError } from './problem';

/** Default request body limit: 1 MiB (JSON APIs; media uploads set their own). */
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

/** JSON body limit when `MAX_JSON_BODY_BYTES` is not set (the same default as shared/config). */
export const DEFAULT_MAX_JSON_BODY_BYTES = 64 * 1024;

/**
 * `MAX_JSON_BODY_BYTES`: the largest JSON body any route parses. Read per call from the environment
 * (shared/config validated it at start), so shared/http stays free of the app's config module.
 */
export function maxJsonBodyBytes(): number {
  const value = Number(process.env.MAX_JSON_BODY_BYTES);
  return Number.isInteger(value) && value > 0 ? value : DEFAULT_MAX_JSON_BODY_BYTES;
}

export const payloadTooLarge = (maxBytes: number) =>
  new HttpDomainError('payload-too-large', `Request body exceeds ${maxBytes} bytes`, 413, {}, { maxBytes });

/** Rejects by Content-Length before anything is read; a missing header passes (chunked bodies). */
export function checkContentLength(request: HttpRequest, maxBytes: number): void {
  const header = request.headers.get('content-length');
  if (header === null) return;
  if (!/^\d+$/.test(header.trim())) throw badRequest('Invalid Content-Length header');
  if (Number(header) > maxBytes) throw payloadTooLarge(maxBytes);
}

/**
 * Reads the whole body, stopping (and cancelling the stream) as soon as it passes
 * `maxBytes`, so a lying or absent Content-Length cannot make us buffer more.
 */
export async function readBodyLimited(request: HttpRequest, maxBytes: number): Promise<Buffer> {
  checkContentLength(request, maxBytes);
  if (!request.body) return Buffer.alloc(0);
  const reader = request.body.getReader();
  const chunks: Buffer[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw payloadTooLarge(maxBytes);
    }
    chunks.push(Buffer.from(value.buffer, value.byteOffset, value.byteLength));
  }
  return Buffer.concat(chunks, total);
}
