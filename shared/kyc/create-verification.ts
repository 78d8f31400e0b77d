import { randomUUID } from 'node:crypto';
import { conflict, DomainError, ensureError, notFound } from '../errors';
import type { Clock } from '../platform/clock';
import { silentLogger, type Logger } from '../platform/logger';
import type { QueueDepth } from '../platform/messaging';
import { QUEUES } from '../names';
import type { SniffedMedia } from '../media/sniff';
import { discardingBlobStore, type BlobStore } from './blob-store';
import { isSafeId, manifestBlobName, verificationPrefix } from './blob-names';
import {
  idempotencyDocId,
  parseIdempotencyKey,
  type IdempotencyClaim,
  type IdempotencyStore,
} from './idempotency-store';
import type { KycSettings } from './kyc-settings';
import type { UploadManifest } from './messages';
import { receiveVerificationUpload, type ReceivedUpload, type UploadInput } from './upload';
import type { UsedChallenge } from './challenges/challenge';
import { consumeChallenge, type ChallengeDeps } from './challenges/issue-challenge';
import { DEFAULT_KYC_POLICY, type TenantKycPolicy } from './kyc-policy';
import {
  applyStatusChange,
  newVerificationRecord,
  toApiView,
  type VerificationRecord,
  type VerificationView,
} from './verification';
import type { VerificationStore } from './verification-store';
import { toErasedView, type ErasedVerificationView } from './tombstone';
import { recordBacklog } from '../platform/metrics';

/**
 * POST and GET /api/v1/verifications.
 *
 * Order of writes on POST, and why nothing is lost or orphaned:
 * 1. the record, status `uploading` (internal; shown as `pending`), before any blob: every
 *    blob under `${tenantId}/${id}/` has a record that owns it (retention, erasure);
 * 2. the media blobs, streamed; a blob is visible only once fully committed;
 * 3. `manifest.json`, the commit point: its blob trigger starts the pipeline, so the fan-out
 *    fires once, after all media exist, and never races an upload still streaming (a trigger
 *    on each media blob would see the other part half-uploaded);
 * 4. the record → `pending` (the manifest trigger applies the same change if we crash first).
 *
 * A 4xx or storage error before 3 deletes the blobs, the record and the Idempotency-Key claim.
 * A crash before 3 leaves an `uploading` record the client never learned the id of (unless its
 * Idempotency-Key retry takes it over, reusing the id and prefix), swept by the record's TTL;
 * a crash after 3 still gets processed, and the client's keyed retry replays the 202.
 */
export interface VerificationApiDeps {
  verifications: VerificationStore;
  idempotency: IdempotencyStore;
  /** The `kyc-media` container. */
  blobs: BlobStore;
  /** Service Bus backlog, for back-pressure. */
  queueDepth: QueueDepth;
  settings: KycSettings;
  clock: Clock;
  /** Verification ids; random UUIDs unless a test fixes them. */
  newId?: () => string;
  logger?: Logger;
  sniff?: (head: Uint8Array) => SniffedMedia | null;
  /** Active liveness challenges; without it a `challengeId` is refused (400 `challenge-not-found`). */
  challenges?: ChallengeDeps;
  /** The tenant's KYC policy (does a video need a challenge?); defaults when absent. */
  kycPolicy?: TenantKycPolicy;
}

export const challengeRequired = () =>
  new DomainError('challenge-required', "This tenant requires video selfies to carry a 'challengeId' (POST /api/v1/verifications/challenges first)", 400);
const challengeNeedsVideo = () =>
  new DomainError('challenge-needs-video', "A 'challengeId' goes with a 'selfieVideo', not a photo selfie", 400);

export interface CreateVerificationInput extends Omit<UploadInput, 'verificationId'> {
  /** Raw Idempotency-Key header, if sent. */
  idempotencyKey?: string | null;
}

export interface CreateVerificationResult {
  id: string;
  status: VerificationView['status'];
  /** Path for the Location header. */
  location: string;
  /** True when an Idempotency-Key retry returned the earlier verification. */
  replayed: boolean;
}

export const verificationLocation = (id: string): string => `/api/v1/verifications/${id}`;

/** 503 with `retryAfterSeconds`, for the Retry-After header. */
export const backlogFull = (retryAfterSeconds: number) =>
  new DomainError('backlog-full', 'Too many verifications are waiting to be processed; retry later', 503, {
    retryAfterSeconds,
  });

const keyInProgress = (retryAfterSeconds: number) =>
  conflict('idempotency-in-progress', 'A request with this Idempotency-Key is still being processed', {
    retryAfterSeconds,
  });

export function createVerificationApi(deps: VerificationApiDeps) {
  const { verifications, idempotency, blobs, settings, clock } = deps;
  const logger = deps.logger ?? silentLogger;
  const newId = deps.newId ?? randomUUID;
  const limits = settings;

  async function checkBacklog(): Promise<void> {
    const [frames, faces] = await Promise.all([
      deps.queueDepth.activeMessageCount(QUEUES.frames),
      deps.queueDepth.activeMessageCount(QUEUES.faces),
    ]);
    recordBacklog(QUEUES.frames, frames);
    recordBacklog(QUEUES.faces, faces);
    if (frames + faces > settings.backlogLimit) throw backlogFull(settings.backlogRetryAfterSeconds);
  }

  /**
   * The key was claimed before. A finished verification is replayed (after checking the body
   * is the same request); a recent unfinished one is 409; a stale unfinished one is taken over,
   * keeping its id so the crashed attempt's blobs are overwritten, not orphaned.
   */
  async function resolveClaimed(
    existing: IdempotencyClaim,
    fresh: IdempotencyClaim,
    input: CreateVerificationInput,
  ): Promise<{ replay: CreateVerificationResult } | { takeOver: string; record: VerificationRecord | undefined }> {
    const record = await verifications.get(input.tenantId, existing.verificationId);
    if (record && record.status !== 'uploading') {
      const again = await receiveVerificationUpload(
        { ...input, verificationId: record.id },
        { blobs: discardingBlobStore, limits, ...(deps.sniff ? { sniff: deps.sniff } : {}) },
      );
      if (again.fingerprint !== record.requestFingerprint) {
        throw conflict('idempotency-key-reused', 'This Idempotency-Key was already used for a different request');
      }
      const view = toApiView(record);
      return { replay: { id: record.id, status: view.status, location: verificationLocation(record.id), replayed: true } };
    }
    const since = Date.parse(record?.updatedAt ?? existing.claimedAt);
    const ageSeconds = (clock.now().getTime() - since) / 1000;
    if (ageSeconds < settings.idempotencyClaimStaleSeconds) {
      throw keyInProgress(Math.max(1, Math.ceil(settings.idempotencyClaimStaleSeconds - ageSeconds)));
    }
    const taken = await idempotency.takeOver(existing, { ...fresh, verificationId: existing.verificationId });
    if (!taken) throw keyInProgress(settings.backlogRetryAfterSeconds);
    return { takeOver: existing.verificationId, record };
  }

  /** Writes the `uploading` record (or resets a crashed attempt's one we took over). */
  async function startRecord(tenantId: string, id: string, previous: VerificationRecord | undefined, keyed: boolean) {
    const fresh = newVerificationRecord({ id, tenantId, now: clock.now(), ...settings });
    if (previous) {
      await verifications.update(tenantId, id, (current) => {
        if (current.status !== 'uploading') throw keyInProgress(settings.backlogRetryAfterSeconds);
        return { ...fresh, _etag: current._etag };
      });
      await blobs.deletePrefix(verificationPrefix(tenantId, id));
      return;
    }
    try {
      await verifications.create(fresh);
    } catch (e) {
      // Two keyed requests raced past the claim: the loser waits for the winner.
      if (keyed && e instanceof DomainError && e.code === 'verification-exists') {
        throw keyInProgress(settings.backlogRetryAfterSeconds);
      }
      throw e;
    }
  }

  /** Uses the upload's challenge for this verification, or checks that the tenant does not require one. */
  async function challengeFor(tenantId: string, id: string, upload: ReceivedUpload): Promise<UsedChallenge | undefined> {
    const video = upload.media.selfie.kind === 'video';
    if (upload.challengeId === undefined) {
      if (video && (await (deps.kycPolicy?.(tenantId) ?? DEFAULT_KYC_POLICY)).requireVideoChallenge) throw challengeRequired();
      return undefined;
    }
    if (!video) throw challengeNeedsVideo();
    if (!deps.challenges) throw new DomainError('challenge-not-found', 'No such challenge for this tenant; request a new one', 400);
    return consumeChallenge(tenantId, upload.challengeId, id, deps.challenges);
  }

  async function create(input: CreateVerificationInput): Promise<CreateVerificationResult> {
    await checkBacklog();
    const { tenantId } = input;
    const key = parseIdempotencyKey(input.idempotencyKey);
    let id = newId();
    let previous: VerificationRecord | undefined;
    let claimId: string | undefined;
    if (key !== undefined) {
      claimId = idempotencyDocId(tenantId, key);
      const claim: IdempotencyClaim = {
        id: claimId,
        tenantId,
        scope: 'verifications.create',
        verificationId: id,
        claimedAt: clock.now().toISOString(),
        ttl: settings.idempotencyKeyTtlHours * 3600,
      };
      const claimed = await idempotency.claim(claim);
      if (!claimed.claimed) {
        const resolved = await resolveClaimed(claimed.existing, claim, input);
        if ('replay' in resolved) return resolved.replay;
        id = resolved.takeOver;
        previous = resolved.record;
      }
    }

    try {
      await startRecord(tenantId, id, previous, key !== undefined);
    } catch (e) {
      if (claimId && !(e instanceof DomainError && e.code === 'idempotency-in-progress')) {
        await idempotency.release(tenantId, claimId);
      }
      throw e;
    }

    let manifest: UploadManifest;
    try {
      const upload = await receiveVerificationUpload(
        { ...input, verificationId: id },
        { blobs, limits, ...(deps.sniff ? { sniff: deps.sniff } : {}) },
      );
      manifest = {
        tenantId,
        verificationId: id,
        media: upload.media,
        requestFingerprint: upload.fingerprint,
        ...(upload.subjectRef === undefined ? {} : { subjectRef: upload.subjectRef }),
        ...(upload.callbackUrl === undefined ? {} : { callbackUrl: upload.callbackUrl }),
      };
      const challenge = await challengeFor(tenantId, id, upload);
      if (challenge) manifest.challenge = challenge;
      if (upload.livenessSession) manifest.livenessSessionExpected = true;
      await blobs.upload(manifestBlobName(tenantId, id), Buffer.from(JSON.stringify(manifest)), 'application/json');
    } catch (e) {
      await Promise.allSettled([
        blobs.deletePrefix(verificationPrefix(tenantId, id)),
        verifications.delete(tenantId, id),
        ...(claimId ? [idempotency.release(tenantId, claimId)] : []),
      ]);
      throw e;
    }

    try {
      await markUploaded(verifications, manifest, clock.now());
    } catch (e) {
      // The manifest is the commit point: its trigger applies the same change, so the client still gets 202.
      logger.warn('kyc: could not mark verification pending; the manifest trigger will', {
        verificationId: id,
        error: ensureError(e).message,
      });
    }
    return { id, status: 'pending', location: verificationLocation(id), replayed: false };
  }

  /** GET: the tenant's verification, or 404 (also for another tenant's id). */
  async function get(tenantId: string, id: string): Promise<VerificationView> {
    if (!isSafeId(id)) throw notFound('Verification');
    const record = await verifications.get(tenantId, id);
    if (!record) throw notFound('Verification');
    return toApiView(record);
  }

  /** GET with erasure visible: the view, or the erased view (410) while the tombstone lasts; 404 otherwise. */
  async function find(
    tenantId: string,
    id: string,
  ): Promise<{ kind: 'record'; view: VerificationView } | { kind: 'erased'; view: ErasedVerificationView }> {
    if (!isSafeId(id)) throw notFound('Verification');
    const found = await verifications.lookup(tenantId, id);
    if (!found) throw notFound('Verification');
    return found.kind === 'erased'
      ? { kind: 'erased', view: toErasedView(found.tombstone) }
      : { kind: 'record', view: toApiView(found.record) };
  }

  return { create, get, find };
}

export type VerificationApi = ReturnType<typeof createVerificationApi>;

/** `uploading` → `pending` from the manifest; a no-op once the record moved on (idempotent). */
export async function markUploaded(
  verifications: VerificationStore,
  manifest: UploadManifest,
  now: Date,
): Promise<VerificationRecord> {
  const { record } = await verifications.update(manifest.tenantId, manifest.verificationId, (current) =>
    current.status === 'uploading'
      ? applyStatusChange(
          current,
          {
            to: 'pending',
            media: manifest.media,
            requestFingerprint: manifest.requestFingerprint,
            ...(manifest.subjectRef === undefined ? {} : { subjectRef: manifest.subjectRef }),
            ...(manifest.callbackUrl === undefined ? {} : { callbackUrl: manifest.callbackUrl }),
            ...(manifest.challenge === undefined ? {} : { challenge: manifest.challenge }),
            ...(manifest.livenessSessionExpected ? { livenessSessionExpected: true } : {}),
          },
          now,
        ).record
      : undefined,
  );
  return record;
}
