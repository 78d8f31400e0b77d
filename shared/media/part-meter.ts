import { createHash, type Hash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { DomainError } from '../errors';

/**
 * Counts, limits and hashes an uploaded file part's bytes on their way to the blob. Past the
 * limit it fails with `payload-too-large` (413), kept in `error` for the caller to report.
 */
export class PartMeter extends Transform {
  size = 0;
  error: DomainError | undefined;
  private readonly hash: Hash = createHash('sha256');

  constructor(
    private readonly limit: number,
    private readonly part: string,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.size += chunk.length;
    if (this.size > this.limit) {
      this.error = new DomainError('payload-too-large', `'${this.part}' is larger than ${this.limit} bytes`, 413, {
        part: this.part,
        limitBytes: this.limit,
      });
      callback(this.error);
      return;
    }
    this.hash.update(chunk);
    callback(null, chunk);
  }

  digest(): string {
    return this.hash.digest('hex');
  }
}
