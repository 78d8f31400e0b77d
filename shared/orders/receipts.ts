/**
 * Payment receipts sent with a confirmation: multipart/form-data with one file
 * part `receipt` (JPEG, PNG or PDF, recognised by its magic bytes, ≤ 10 MB) and
 * an optional text field `reason`. The file streams straight into the `receipts`
 * container at `{tenantId}/{orderId}/receipt-{uuid}.{ext}` (a dispute's file part is `evidence`,
 * stored as `evidence-{uuid}.{ext}`): nothing beyond the
 * sniff window and the blob client's blocks is held in memory. Uses the KYC
 * upload's pieces (peek, sniffing, blob store, its 413/415 errors); on any
 * failure the blob this call started is deleted before the error is thrown.
 */
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import busboy from 'busboy';
import { badRequest, DomainError, ensureError } from '../errors';
import type { BlobStore } from '../kyc/blob-store';
import { payloadTooLarge, peek, unsupportedMediaType } from '../kyc/upload';
import { PartMeter } from '../media/part-meter';
import { SNIFF_BYTES, sniffMedia } from '../media/sniff';

/** Largest receipt accepted, bytes. */
export const RECEIPT_MAX_BYTES = 10 * 1024 * 1024;
/** Multipart envelope and the `reason` field on top of the file, for the request's size limit. */
export const RECEIPT_ENVELOPE_BYTES = 64 * 1024;

export const RECEIPT_MIME = ['image/jpeg', 'image/png', 'application/pdf'] as const;
export type ReceiptMime = (typeof RECEIPT_MIME)[number];

/** A receipt in Blob Storage. */
export interface StoredReceipt {
  blobName: string;
  contentType: ReceiptMime;
  sizeBytes: number;
  /** Hex sha256 of the bytes. */
  sha256: string;
}

export interface ReceivedConfirmation {
  receipt?: StoredReceipt;
  reason?: string;
}

/** 400 `receipt-required`: a pay-out confirmation came without a receipt file. */
export const receiptRequired = () =>
  new DomainError('receipt-required', "Confirming a pay-out needs a receipt: send multipart/form-data with a 'receipt' file (JPEG, PNG or PDF)", 400, {
    errors: [{ path: 'receipt', message: 'Required' }],
  });

export const isMultipart = (contentType: string | null): boolean => contentType !== null && /^multipart\/form-data\s*;/i.test(contentType);

/** What the first bytes say the receipt is: JPEG or PNG (shared sniffing) or PDF (`%PDF-`); null for anything else. */
export function sniffReceipt(head: Uint8Array): { mime: ReceiptMime; ext: string } | null {
  const media = sniffMedia(head);
  if (media?.mime === 'image/jpeg' || media?.mime === 'image/png') return { mime: media.mime, ext: media.ext };
  if (Buffer.from(head.buffer, head.byteOffset, Math.min(5, head.byteLength)).toString('latin1') === '%PDF-') return { mime: 'application/pdf', ext: 'pdf' };
  return null;
}

export const receiptBlobName = (tenantId: string, orderId: string, ext: string, id: string = randomUUID(), purpose = 'receipt') => `${tenantId}/${orderId}/${purpose}-${id}.${ext}`;

export interface ReceiptUploadInput {
  tenantId: string;
  orderId: string;
  contentType: string | null;
  contentLength?: number | null;
  body: WebReadableStream<Uint8Array> | globalThis.ReadableStream<Uint8Array> | Readable | null;
  /** Name of the file part, also the blob name's prefix: `receipt` (default), or `evidence` for a dispute. */
  fileField?: 'receipt' | 'evidence';
}

export interface ReceiptUploadDeps {
  blobs: BlobStore;
  /** Default RECEIPT_MAX_BYTES. */
  maxBytes?: number;
}

/** Streams the multipart confirmation into Blob Storage; `receipt` is absent when no file part was sent. */
export async function receiveReceipt(input: ReceiptUploadInput, deps: ReceiptUploadDeps): Promise<ReceivedConfirmation> {
  if (!isMultipart(input.contentType)) throw unsupportedMediaType('The body must be multipart/form-data');
  const maxBytes = deps.maxBytes ?? RECEIPT_MAX_BYTES;
  if (input.contentLength != null && input.contentLength > maxBytes + RECEIPT_ENVELOPE_BYTES) {
    throw payloadTooLarge(`The request body is larger than a ${maxBytes}-byte receipt`, { limitBytes: maxBytes });
  }
  if (!input.body) return {};
  return new ReceiptReception(input, deps.blobs, maxBytes).run();
}

/** One request's reception: the parser, the upload in flight and the first failure. */
class ReceiptReception {
  private readonly source: Readable;
  private parser: busboy.Busboy | undefined;
  private upload: Promise<StoredReceipt> | undefined;
  private part: Readable | undefined;
  private blobName: string | undefined;
  private reason: string | undefined;
  private failure: Error | undefined;
  private rejectParse: ((e: Error) => void) | undefined;
  private readonly field: string;

  constructor(
    private readonly input: ReceiptUploadInput,
    private readonly blobs: BlobStore,
    private readonly maxBytes: number,
  ) {
    this.field = input.fileField ?? 'receipt';
    const body = input.body as NonNullable<ReceiptUploadInput['body']>;
    this.source = body instanceof Readable ? body : Readable.fromWeb(body as WebReadableStream<Uint8Array>);
  }

  async run(): Promise<ReceivedConfirmation> {
    try {
      await this.parse();
      const receipt = this.upload ? await this.upload : undefined;
      if (this.failure) throw this.failure;
      return { ...(receipt ? { receipt } : {}), ...(this.reason === undefined ? {} : { reason: this.reason }) };
    } catch (e) {
      const error = this.failure ?? ensureError(e);
      this.abort(error);
      await this.upload?.catch(() => undefined);
      if (this.blobName) await this.blobs.delete(this.blobName).catch(() => undefined);
      throw error;
    }
  }

  private parse(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      let bb: busboy.Busboy;
      try {
        bb = busboy({
          headers: { 'content-type': this.input.contentType ?? '' },
          limits: { fieldNameSize: 64, fieldSize: 1024, fields: 1, files: 1, parts: 3, headerPairs: 16, fileSize: this.maxBytes + 1 },
        });
      } catch {
        reject(badRequest('Malformed multipart Content-Type (missing boundary?)'));
        return;
      }
      this.rejectParse = reject;
      bb.on('file', (name, stream) => this.onFile(name, stream));
      bb.on('field', (name, value, info) => this.onField(name, value, info.valueTruncated));
      bb.on('partsLimit', () => this.fail(badRequest(`Too many parts: send one ${this.field} file and at most a reason`)));
      bb.on('filesLimit', () => this.fail(badRequest(`Send one '${this.field}' file`)));
      bb.on('fieldsLimit', () => this.fail(badRequest("Only a 'reason' field is accepted")));
      bb.on('error', (e) => this.fail(badRequest('Malformed multipart body', { cause: ensureError(e).message })));
      bb.on('close', () => resolve());
      this.source.on('error', (e) => this.fail(badRequest('The request body ended abruptly', { cause: ensureError(e).message })));
      this.source.pipe(bb);
      this.parser = bb;
    });
  }

  private fail(error: Error): void {
    if (this.failure) return;
    this.failure = error;
    this.abort(error);
    this.rejectParse?.(error);
  }

  /** Stops parsing and drains (never destroys: see shared/kyc/upload.ts) the rest of the request. */
  private abort(error: Error): void {
    if (this.parser) this.source.unpipe(this.parser);
    if (!this.source.readableEnded && !this.source.destroyed) this.source.resume();
    this.part?.destroy(error);
  }

  private onField(name: string, value: string, truncated: boolean): void {
    if (this.failure) return;
    if (name === this.field) return this.fail(badRequest(`'${this.field}' must be a file part`));
    if (name !== 'reason') return this.fail(badRequest(`Unknown field '${name}'`));
    if (truncated || value.length > 500) {
      return this.fail(new DomainError('validation-failed', 'Invalid request body', 400, { errors: [{ path: 'reason', message: 'at most 500 characters' }] }));
    }
    this.reason = value;
  }

  private onFile(name: string, stream: Readable): void {
    if (this.failure || name !== this.field) {
      stream.resume();
      if (name !== this.field) this.fail(badRequest(`Unknown file part '${name}'; the file goes in '${this.field}'`));
      return;
    }
    // Errors surface through the upload; without a listener, destroying the part on abort would crash the process.
    stream.on('error', () => {});
    this.part = stream;
    this.upload = this.store(stream);
    this.upload.catch((e: unknown) => this.fail(ensureError(e)));
  }

  private async store(stream: Readable): Promise<StoredReceipt> {
    const { head, ended } = await peek(stream, SNIFF_BYTES);
    if (head.length === 0) throw badRequest(`The '${this.field}' file is empty`);
    const sniffed = sniffReceipt(head);
    if (!sniffed) throw unsupportedMediaType(`'${this.field}' must be a JPEG, PNG or PDF file`, { part: this.field, detected: sniffMedia(head)?.mime ?? null });
    const meter = new PartMeter(this.maxBytes, this.field);
    meter.on('error', () => {}); // reported through `meter.error` and the upload's rejection
    const blobName = receiptBlobName(this.input.tenantId, this.input.orderId, sniffed.ext, randomUUID(), this.field);
    this.blobName = blobName;
    meter.write(head);
    if (ended) meter.end();
    else stream.pipe(meter);
    try {
      await this.blobs.uploadStream(blobName, meter, sniffed.mime);
    } catch (e) {
      throw meter.error ?? e;
    }
    if (meter.error) throw meter.error;
    return { blobName, contentType: sniffed.mime, sizeBytes: meter.size, sha256: meter.digest() };
  }
}

