import type { Readable } from 'node:stream';
import type { ContainerClient } from '@azure/storage-blob';
import { currentTraceparent } from '../platform/trace-context';

/** The blob operations the KYC code needs, on one container (`kyc-media`). */
export interface BlobStore {
  /**
   * Streams `stream` into block blob `name`; memory stays bounded whatever the size.
   * The blob becomes visible only when the whole stream was committed: a failed or
   * aborted upload leaves no blob (uncommitted blocks are discarded by the service).
   */
  uploadStream(name: string, stream: Readable, contentType: string): Promise<void>;
  upload(name: string, data: Buffer, contentType: string): Promise<void>;
  /** The whole blob; for images and frames (≤ 15 MB), never for video. */
  download(name: string): Promise<Buffer>;
  /** Writes the blob to a local file (videos go to ffmpeg from disk: MP4 needs seeking). */
  downloadToFile(name: string, path: string): Promise<void>;
  exists(name: string): Promise<boolean>;
  /** Deletes the blob if it exists. */
  delete(name: string): Promise<void>;
  /** Deletes every blob whose name starts with `prefix`; returns how many. */
  deletePrefix(prefix: string): Promise<number>;
}

/** Upload block size and parallelism: peak memory per upload ≈ size × (concurrency + 1). */
const UPLOAD_BUFFER_BYTES = 1024 * 1024;
const UPLOAD_CONCURRENCY = 4;

/** `BlobStore` on an Azure Storage (or Azurite) container. */
export function createAzureBlobStore(container: ContainerClient): BlobStore {
  const blob = (name: string) => container.getBlockBlobClient(name);
  return {
    async uploadStream(name, stream, contentType) {
      await blob(name).uploadStream(stream, UPLOAD_BUFFER_BYTES, UPLOAD_CONCURRENCY, {
        blobHTTPHeaders: { blobContentType: contentType },
      });
    },
    async upload(name, data, contentType) {
      // The manifest's blob trigger continues the upload's trace from this metadata (no Event Grid header carries it).
      const traceparent = currentTraceparent();
      await blob(name).uploadData(data, { blobHTTPHeaders: { blobContentType: contentType }, ...(traceparent ? { metadata: { traceparent } } : {}) });
    },
    download: (name) => blob(name).downloadToBuffer(),
    async downloadToFile(name, path) {
      await blob(name).downloadToFile(path);
    },
    exists: (name) => blob(name).exists(),
    async delete(name) {
      await blob(name).deleteIfExists();
    },
    async deletePrefix(prefix) {
      let count = 0;
      for await (const item of container.listBlobsFlat({ prefix })) {
        await blob(item.name).deleteIfExists();
        count++;
      }
      return count;
    },
  };
}

/**
 * A `BlobStore` that only drains what it is given: an Idempotency-Key replay streams the
 * body through the same parsing, sniffing and hashing without storing it again.
 */
export const discardingBlobStore: BlobStore = {
  async uploadStream(_name, stream) {
    for await (const chunk of stream) void chunk;
  },
  async upload() {},
  download: () => Promise.reject(new Error('discardingBlobStore stores nothing')),
  downloadToFile: () => Promise.reject(new Error('discardingBlobStore stores nothing')),
  exists: async () => false,
  async delete() {},
  deletePrefix: async () => 0,
};
