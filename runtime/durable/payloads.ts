/**
 * Where durable state is serialised. Small JSON stays in the table row (split over string
 * properties); anything over `LARGE_PAYLOAD_CHARS` goes to the `<hub>-largemessages` blob container
 * and the row keeps only the blob's name, as the Azure Storage provider does with messages over
 * 45 KB. So a 1 MB activity result or orchestration input is stored like any other.
 */
import { randomUUID } from 'node:crypto';
import { BlobServiceClient, type ContainerClient } from '@azure/storage-blob';

/** Azure table string properties hold 32K UTF-16 chars; small JSON is spread over a few. */
const chunkChars = 30_000;
/** The Azure Storage provider's threshold for moving a payload to a blob (45 KB). */
export const LARGE_PAYLOAD_CHARS = 45 * 1024;
/** Recently read blobs, so the engine's polling does not download the same payload again and again. */
const cacheEntries = 32;

export type EncodedPayload = Record<string, string | number>;

export class PayloadStore {
  private readonly container: ContainerClient;
  private readonly cache = new Map<string, string>();

  constructor(connectionString: string, hubName: string) {
    const name = `${hubName.toLowerCase().replace(/[^a-z0-9]/g, '')}-largemessages`;
    this.container = BlobServiceClient.fromConnectionString(connectionString).getContainerClient(name);
  }

  async init(): Promise<void> {
    await this.container.createIfNotExists();
  }

  /** Row properties for `value`; `owner` (the instance id) prefixes the blob so a purge finds it. */
  async encode(value: unknown, owner: string): Promise<EncodedPayload> {
    const text = JSON.stringify(value);
    if (text.length > LARGE_PAYLOAD_CHARS) {
      // A fresh name per write: a conditional row write that loses its race must not change the blob the winner points at.
      const blob = `${encodeURIComponent(owner)}/${randomUUID()}.json`;
      await this.container.getBlockBlobClient(blob).upload(text, Buffer.byteLength(text), {
        blobHTTPHeaders: { blobContentType: 'application/json' },
      });
      this.remember(blob, text);
      return { blob };
    }
    const count = Math.max(1, Math.ceil(text.length / chunkChars));
    const props: EncodedPayload = { chunks: count };
    for (let i = 0; i < count; i++) props[`c${i}`] = text.slice(i * chunkChars, (i + 1) * chunkChars);
    return props;
  }

  async decode<T>(entity: Record<string, unknown>): Promise<T> {
    const blob = entity['blob'];
    if (typeof blob === 'string') return JSON.parse(await this.read(blob)) as T;
    const count = Number(entity['chunks'] ?? 0);
    let text = '';
    for (let i = 0; i < count; i++) text += String(entity[`c${i}`] ?? '');
    return JSON.parse(text) as T;
  }

  /** Deletes a blob a row no longer points at (superseded instance state, retired work). */
  async release(entity: Record<string, unknown> | undefined): Promise<void> {
    const blob = entity?.['blob'];
    if (typeof blob !== 'string') return;
    this.cache.delete(blob);
    await this.container.deleteBlob(blob).catch(() => undefined);
  }

  /** Deletes every payload blob of an instance. */
  async purge(owner: string): Promise<void> {
    for await (const item of this.container.listBlobsFlat({ prefix: `${encodeURIComponent(owner)}/` })) {
      this.cache.delete(item.name);
      await this.container.deleteBlob(item.name).catch(() => undefined);
    }
  }

  private async read(blob: string): Promise<string> {
    const cached = this.cache.get(blob);
    if (cached !== undefined) return cached;
    const text = (await this.container.getBlobClient(blob).downloadToBuffer()).toString('utf8');
    this.remember(blob, text);
    return text;
  }

  private remember(blob: string, text: string): void {
    this.cache.set(blob, text);
    if (this.cache.size > cacheEntries) this.cache.delete(this.cache.keys().next().value as string);
  }
}
