import type { Container } from '@azure/cosmos';
import type { ContainerClient } from '@azure/storage-blob';
import { verificationPrefix } from '../kyc/blob-names';
import type { ErasureReason, VerificationTombstone } from '../kyc/tombstone';
import { ifStillThere, type VerificationStore } from '../kyc/verification-store';
import type { Clock } from '../platform/clock';
import { eraseBlobPrefix } from './erase-blobs';

/** What erasing a verification touches. */
export interface VerificationErasureDeps {
  verifications: VerificationStore;
  /** The `kyc-media` container. */
  media: ContainerClient;
  /** The `idempotency` container (Idempotency-Key claims naming the verification). */
  idempotency: Container;
  clock: Clock;
  /** Days a tombstone keeps answering 410 before it goes too (then 404). */
  tombstoneDays: number;
  /** Delete earlier blob versions too (accounts with versioning on). */
  blobVersions?: boolean;
}

export interface VerificationRef {
  tenantId: string;
  verificationId: string;
}

/** Counts of what one erasure step removed (0 when a previous run already did). */
export interface VerificationErasureCounts {
  /** Blobs under the verification's prefix: document, selfie, video, frames, manifest. */
  mediaBlobs: number;
  /** Verification records replaced by a tombstone. */
  records: number;
  /** Idempotency-Key claims that pointed at the verification. */
  idempotencyClaims: number;
}

const DAY_MS = 86_400_000;
const prefixOf = (ref: VerificationRef) => verificationPrefix(ref.tenantId, ref.verificationId);

/**
 * The media deadline: marks the record `mediaErasedAt` first (so pipeline work arriving later
 * does nothing and deletes what it wrote), then deletes every blob under the prefix. The blobs
 * are deleted whatever the record says: a run that crashed after the mark still finishes.
 */
export async function eraseVerificationMedia(deps: VerificationErasureDeps, ref: VerificationRef): Promise<VerificationErasureCounts> {
  const at = deps.clock.now().toISOString();
  await ifStillThere(() =>
    deps.verifications.update(ref.tenantId, ref.verificationId, (r) => {
      if (r.mediaErasedAt) return undefined;
      const { frames, ...rest } = r;
      void frames;
      return { ...rest, mediaErasedAt: at, updatedAt: at };
    }),
  );
  const mediaBlobs = await eraseBlobPrefix(deps.media, prefixOf(ref), { versions: deps.blobVersions === true });
  return { mediaBlobs, records: 0, idempotencyClaims: 0 };
}

/**
 * Erases the whole verification: the record becomes a tombstone (written first, so concurrent
 * and later pipeline writes fail their ETag/404 check), then the blobs and the Idempotency-Key
 * claims go. Each part runs even when an earlier run left a tombstone: erasing twice is harmless.
 */
export async function eraseVerification(
  deps: VerificationErasureDeps,
  ref: VerificationRef,
  reason: ErasureReason,
): Promise<VerificationErasureCounts & { erasedAt?: string }> {
  const found = await deps.verifications.lookup(ref.tenantId, ref.verificationId);
  let records = 0;
  let erasedAt: string | undefined;
  if (found?.kind === 'record') {
    const now = deps.clock.now();
    const tombstone: VerificationTombstone = {
      id: ref.verificationId,
      tenantId: ref.tenantId,
      status: 'erased',
      erasedAt: now.toISOString(),
      reason,
      purgeAt: new Date(now.getTime() + deps.tombstoneDays * DAY_MS).toISOString(),
      ttl: deps.tombstoneDays * 86_400,
    };
    await deps.verifications.writeTombstone(tombstone);
    records = 1;
    erasedAt = tombstone.erasedAt;
  } else if (found?.kind === 'erased') {
    erasedAt = found.tombstone.erasedAt;
  }
  const mediaBlobs = await eraseBlobPrefix(deps.media, prefixOf(ref), { versions: deps.blobVersions === true });
  const idempotencyClaims = await deleteClaims(deps.idempotency, ref);
  return { mediaBlobs, records, idempotencyClaims, ...(erasedAt === undefined ? {} : { erasedAt }) };
}

/** Deletes the Idempotency-Key claims that reserved this verification id. */
async function deleteClaims(container: Container, ref: VerificationRef): Promise<number> {
  const { resources } = await container.items
    .query<{ id: string }>(
      {
        query: 'SELECT c.id FROM c WHERE c.tenantId = @tenantId AND c.verificationId = @id',
        parameters: [
          { name: '@tenantId', value: ref.tenantId },
          { name: '@id', value: ref.verificationId },
        ],
      },
      { partitionKey: ref.tenantId },
    )
    .fetchAll();
  let deleted = 0;
  for (const { id } of resources) {
    try {
      await container.item(id, ref.tenantId).delete();
      deleted++;
    } catch (e) {
      if ((e as { code?: unknown }).code !== 404) throw e;
    }
  }
  return deleted;
}
