import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import busboy from 'busboy';
import { z } from 'zod';
import { badRequest, DomainError, ensureError } from '../errors';
import { PartMeter } from '../media/part-meter';
import { sniffMedia, SNIFF_BYTES, type SniffedMedia } from '../media/sniff';
import type { BlobStore } from './blob-store';
import { mediaBlobName, type MediaPart } from './blob-names';
import type { KycSettings } from './kyc-settings';
import { callbackUrlSchema, subjectRefSchema, type StoredMedia, type VerificationMedia } from './verification';

/**
 * POST /api/v1/verifications body: multipart/form-data streamed part by part into
 * blobs. Nothing is buffered beyond the sniff window and the blob client's blocks,
 * so a 50 MB video costs a few MB of memory. Each file part is sniffed from its
 * first bytes (the declared type is ignored), metered against its own limit while it
 * streams, and hashed for the Idempotency-Key fingerprint.
 *
 * The video's duration (≤ 30 s) cannot be known here: MP4 keeps it in a `moov` box
 * that may sit at the end, and WebM from MediaRecorder declares none. The frames step
 * checks it after upload (`VIDEO_TOO_LONG`).
 */

export interface UploadInput {
  tenantId: string;
  verificationId: string;
  /** The request's Content-Type header (with the boundary). */
  contentType: string | null;
  /** The request's Content-Length, if sent: lets an oversize body be refused unread. */
  contentLength?: number | null;
  /** `HttpRequest.body` (a web ReadableStream) or a Node stream. */
  body: WebReadableStream<Uint8Array> | globalThis.ReadableStream<Uint8Array> | Readable | null;
}

export interface UploadDeps {
  blobs: BlobStore;
  limits: Pick<KycSettings, 'maxDocumentBytes' | 'maxSelfieImageBytes' | 'maxSelfieVideoBytes'>;
  /** Content sniffing; `shared/media/sniff` unless a test swaps it. */
  sniff?: (head: Uint8Array) => SniffedMedia | null;
}

export interface ReceivedUpload {
  media: VerificationMedia;
  subjectRef?: string;
  callbackUrl?: string;
  challengeId?: string;
  /** The client announced an Azure liveness session. */
  livenessSession?: boolean;
  /**
   * sha256 over every part's name, size and content hash and the text fields: equal for
   * byte-identical requests whatever their multipart boundary (Idempotency-Key check).
   */
  fingerprint: string;
}

/** The text fields, validated when each arrives. */
export const uploadFieldsSchema = z.strictObject({
  subjectRef: subjectRefSchema.optional(),
  callbackUrl: callbackUrlSchema.optional(),
  /** An active liveness challenge (`POST /api/v1/verifications/challenges`) the selfie video follows. */
  challengeId: z.string().regex(/^[A-Za-z0-9-]{1,64}$/).optional(),
  /** `true`: the app will run an Azure liveness session for this verification (LIVENESS.md); the decision waits for it. */
  livenessSession: z.enum(['true', 'false']).optional(),
});
type TextField = keyof z.infer<typeof uploadFieldsSchema>;
const TEXT_FIELDS: readonly string[] = ['subjectRef', 'callbackUrl', 'challengeId', 'livenessSession'] satisfies TextField[];

type FileField = 'document' | 'selfie' | 'selfieVideo';
const FILE_FIELDS: Record<FileField, { part: MediaPart; kind: SniffedMedia['kind'] }> = {
  document: { part: 'document', kind: 'image' },
  selfie: { part: 'selfie', kind: 'image' },
  selfieVideo: { part: 'selfie-video', kind: 'video' },
};
const isFileField = (name: string): name is FileField => Object.hasOwn(FILE_FIELDS, name);

/** Multipart overhead allowed on top of the parts' own limits when checking Content-Length. */
const ENVELOPE_BYTES = 64 * 1024;

export const unsupportedMediaType = (message: string, details?: Record<string, unknown>) =>
  new DomainError('unsupported-media-type', message, 415, details);
export const payloadTooLarge = (message: string, details?: Record<string, unknown>) =>
  new DomainError('payload-too-large', message, 413, details);

interface PartResult {
  field: FileField;
  stored: StoredMedia;
  sha256: string;
}

/**
 * Streams the multipart body into `${tenantId}/${verificationId}/…` blobs and returns
 * what was stored. On any error (400/413/415, client abort, storage failure) every blob
 * this call started is deleted before the error is thrown.
 */
export async function receiveVerificationUpload(input: UploadInput, deps: UploadDeps): Promise<ReceivedUpload> {
  const { limits } = deps;
  if (!input.contentType || !/^multipart\/form-data\s*;/i.test(input.contentType)) {
    throw unsupportedMediaType('The body must be multipart/form-data');
  }
  if (!input.body) throw badRequest('The request has no body');
  const maxBody = limits.maxDocumentBytes + Math.max(limits.maxSelfieImageBytes, limits.maxSelfieVideoBytes) + ENVELOPE_BYTES;
  if (input.contentLength != null && input.contentLength > maxBody) {
    throw payloadTooLarge('The request body is larger than the uploads allowed', { limitBytes: maxBody });
  }
  return new MultipartReception(input, deps).run();
}

/** One request's reception: the parser, the uploads in flight, and the first error. */
class MultipartReception {
  private readonly source: Readable;
  private readonly uploads: Promise<PartResult | undefined>[] = [];
  private readonly startedBlobs = new Set<string>();
  private readonly openParts = new Set<Readable>();
  private readonly seen = new Set<string>();
  private readonly fields: Record<string, string> = {};
  private failure: Error | undefined;
  private readonly sniff: (head: Uint8Array) => SniffedMedia | null;

  constructor(
    private readonly input: UploadInput,
    private readonly deps: UploadDeps,
  ) {
    const body = input.body;
    this.source = body instanceof Readable ? body : Readable.fromWeb(body as WebReadableStream<Uint8Array>);
    this.sniff = deps.sniff ?? sniffMedia;
  }

  async run(): Promise<ReceivedUpload> {
    try {
      await this.parse();
      const results = (await Promise.all(this.uploads)).filter((r): r is PartResult => r !== undefined);
      if (this.failure) throw this.failure;
      return this.assemble(results);
    } catch (e) {
      const error = this.failure ?? ensureError(e);
      this.abort(error);
      await Promise.allSettled(this.uploads);
      await Promise.allSettled([...this.startedBlobs].map((name) => this.deps.blobs.delete(name)));
      throw error;
    }
  }

  /** Resolves when the parser has seen the whole body, rejects on the first failure. */
  private parse(): Promise<void> {
    const { limits } = this.deps;
    return new Promise<void>((resolve, reject) => {
      let bb: busboy.Busboy;
      try {
        bb = busboy({
          headers: { 'content-type': this.input.contentType ?? '' },
          limits: {
            fieldNameSize: 64,
            fieldSize: 4096,
            fields: 5,
            files: 4,
            parts: 8,
            headerPairs: 16,
            // Our own meter enforces the per-part limits; this only stops busboy reading past the largest.
            fileSize: Math.max(limits.maxDocumentBytes, limits.maxSelfieImageBytes, limits.maxSelfieVideoBytes) + 1,
          },
        });
      } catch {
        reject(badRequest('Malformed multipart Content-Type (missing boundary?)'));
        return;
      }
      this.onFailure = reject;
      bb.on('file', (name, stream, info) => this.onFile(name, stream, info.filename));
      bb.on('field', (name, value, info) => this.onField(name, value, info.nameTruncated || info.valueTruncated));
      bb.on('partsLimit', () => this.fail(badRequest('Too many parts')));
      bb.on('filesLimit', () => this.fail(badRequest('Too many files')));
      bb.on('fieldsLimit', () => this.fail(badRequest('Too many fields')));
      bb.on('error', (e) => this.fail(badRequest('Malformed multipart body', { cause: ensureError(e).message })));
      bb.on('close', () => resolve());
      this.source.on('error', (e) => this.fail(badRequest('The request body ended abruptly', { cause: ensureError(e).message })));
      this.source.pipe(bb);
      this.parser = bb;
    });
  }

  private parser: busboy.Busboy | undefined;
  private onFailure: ((e: Error) => void) | undefined;

  /** Records the first failure, stops reading the request, and ends the parse. */
  private fail(error: Error): void {
    if (this.failure) return;
    this.failure = error;
    this.abort(error);
    this.onFailure?.(error);
  }

  private abort(error: Error): void {
    if (this.parser) this.source.unpipe(this.parser);
    // Drain, never destroy, the rest of the request: cancelling the request's web stream
    // makes undici throw outside any promise and takes the whole worker down. The
    // platform caps the body (100 MB on Azure and in the local runtime), so draining is bounded.
    if (!this.source.readableEnded && !this.source.destroyed) this.source.resume();
    for (const part of this.openParts) part.destroy(error);
  }

  private onField(name: string, value: string, truncated: boolean): void {
    if (this.failure) return;
    if (isFileField(name)) return this.fail(badRequest(`'${name}' must be a file part`));
    if (!TEXT_FIELDS.includes(name)) return this.fail(badRequest(`Unknown field '${name}'`));
    if (this.seen.has(name)) return this.fail(badRequest(`Field '${name}' given twice`));
    if (truncated) return this.fail(badRequest(`Field '${name}' is too long`));
    this.seen.add(name);
    const parsed = uploadFieldsSchema.safeParse({ [name]: value });
    if (!parsed.success) {
      return this.fail(
        badRequest(`Invalid '${name}'`, {
          errors: parsed.error.issues.map((i) => ({ field: name, message: i.message })),
        }),
      );
    }
    this.fields[name] = value;
  }

  private onFile(name: string, stream: Readable, filename: string | undefined): void {
    if (this.failure) {
      stream.resume();
      return;
    }
    if (!isFileField(name)) {
      stream.resume();
      return this.fail(badRequest(`Unknown file part '${name}'`));
    }
    if (this.seen.has(name)) {
      stream.resume();
      return this.fail(badRequest(`File part '${name}' given twice`));
    }
    const otherSelfie = name === 'selfie' ? 'selfieVideo' : name === 'selfieVideo' ? 'selfie' : undefined;
    if (otherSelfie && this.seen.has(otherSelfie)) {
      stream.resume();
      return this.fail(badRequest("Send either 'selfie' or 'selfieVideo', not both"));
    }
    this.seen.add(name);
    void filename; // the client's file name is personal data at worst and never used.
    // Errors surface through `storePart`; without a listener, destroying the part on abort would crash the process.
    stream.on('error', () => {});
    this.openParts.add(stream);
    const upload = this.storePart(name, stream).then(
      (r) => r,
      (e: unknown) => {
        this.fail(ensureError(e));
        return undefined;
      },
    );
    this.uploads.push(upload.finally(() => this.openParts.delete(stream)));
  }

  private limitFor(field: FileField): number {
    const l = this.deps.limits;
    return field === 'document' ? l.maxDocumentBytes : field === 'selfie' ? l.maxSelfieImageBytes : l.maxSelfieVideoBytes;
  }

  private async storePart(field: FileField, stream: Readable): Promise<PartResult> {
    const { head, ended } = await peek(stream, SNIFF_BYTES);
    if (head.length === 0) throw badRequest(`File part '${field}' is empty`);
    const sniffed = this.sniff(head);
    const spec = FILE_FIELDS[field];
    if (!sniffed || sniffed.kind !== spec.kind) {
      throw unsupportedMediaType(
        `'${field}' must be ${spec.kind === 'image' ? 'a JPEG, PNG, WebP, AVIF or TIFF image' : 'an MP4, WebM or QuickTime video'}`,
        { part: field, detected: sniffed?.mime ?? null },
      );
    }
    const limit = this.limitFor(field);
    const meter = new PartMeter(limit, field);
    meter.on('error', () => {}); // reported through `meter.error` and the upload's rejection
    this.openParts.add(meter);
    const blobName = mediaBlobName(this.input.tenantId, this.input.verificationId, spec.part, sniffed.ext);
    this.startedBlobs.add(blobName);
    meter.write(head);
    if (ended) meter.end();
    else stream.pipe(meter);
    try {
      await this.deps.blobs.uploadStream(blobName, meter, sniffed.mime);
    } catch (e) {
      // The meter's own error (e.g. too large) explains an aborted upload better than the storage client's.
      throw meter.error ?? e;
    } finally {
      this.openParts.delete(meter);
    }
    if (meter.error) throw meter.error;
    return {
      field,
      stored: { blobName, contentType: sniffed.mime, sizeBytes: meter.size },
      sha256: meter.digest(),
    };
  }

  private assemble(results: PartResult[]): ReceivedUpload {
    const by = new Map(results.map((r) => [r.field, r]));
    const document = by.get('document');
    const selfie = by.get('selfie') ?? by.get('selfieVideo');
    if (!document || !selfie) {
      throw badRequest("Send a 'document' file and a 'selfie' or 'selfieVideo' file", {
        errors: [
          ...(document ? [] : [{ field: 'document', message: 'Required' }]),
          ...(selfie ? [] : [{ field: 'selfie', message: "Required ('selfie' or 'selfieVideo')" }]),
        ],
      });
    }
    const fingerprint = createHash('sha256')
      .update(
        JSON.stringify({
          parts: [...results]
            .sort((a, b) => a.field.localeCompare(b.field))
            .map((r) => [r.field, r.stored.sizeBytes, r.sha256]),
          subjectRef: this.fields.subjectRef ?? null,
          callbackUrl: this.fields.callbackUrl ?? null,
          // Only when sent, so fingerprints of requests without one stay what they were.
          ...(this.fields.challengeId === undefined ? {} : { challengeId: this.fields.challengeId }),
          ...(this.fields.livenessSession === undefined ? {} : { livenessSession: this.fields.livenessSession }),
        }),
      )
      .digest('hex');
    return {
      media: {
        document: document.stored,
        selfie: { ...selfie.stored, kind: selfie.field === 'selfieVideo' ? 'video' : 'photo' },
      },
      ...(this.fields.subjectRef === undefined ? {} : { subjectRef: this.fields.subjectRef }),
      ...(this.fields.callbackUrl === undefined ? {} : { callbackUrl: this.fields.callbackUrl }),
      ...(this.fields.challengeId === undefined ? {} : { challengeId: this.fields.challengeId }),
      ...(this.fields.livenessSession === 'true' ? { livenessSession: true } : {}),
      fingerprint,
    };
  }
}

/**
 * Reads at least `n` bytes (or to the end) from `stream` and pauses it; the bytes not
 * returned stay in the stream's buffer, so piping it afterwards continues seamlessly.
 */
export function peek(stream: Readable, n: number): Promise<{ head: Buffer; ended: boolean }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let length = 0;
    const settle = (ended: boolean) => {
      stream.off('data', onData);
      stream.off('end', onEnd);
      stream.off('error', onError);
      stream.pause();
      resolve({ head: Buffer.concat(chunks), ended });
    };
    const onData = (chunk: Buffer) => {
      chunks.push(chunk);
      length += chunk.length;
      if (length >= n) settle(false);
    };
    const onEnd = () => settle(true);
    const onError = (e: Error) => reject(e);
    stream.on('data', onData);
    stream.once('end', onEnd);
    stream.once('error', onError);
  });
}
