import type { Container } from '@azure/cosmos';
import { isSafeId, verificationPrefix } from '../kyc/blob-names';
import { eraseBlobPrefix } from './erase-blobs';
import { eraseVerification, eraseVerificationMedia, type VerificationErasureDeps } from './erase-verification';

export interface RetentionSweepDeps extends VerificationErasureDeps {
  /** The `verifications` container, queried across tenants. */
  verificationsContainer: Container;
}

/** What one sweep run did. */
export interface SweepReport {
  /** Verifications past the media deadline whose media were still there. */
  media: number;
  /** Verifications past the record deadline, or with an erasure request, erased. */
  records: number;
  /** Tombstones past their `purgeAt` deleted (Cosmos TTL does it on Azure). */
  tombstones: number;
  /** Blob prefixes without a live record (erased or never finished), deleted. */
  orphanPrefixes: number;
  /** The verifications erased (media or all), for the audit trail. */
  erased: Array<{ tenantId: string; verificationId: string }>;
}

interface DueRow {
  id: string;
  tenantId: string;
  recordExpiresAt: string;
  erasureRequestedAt?: string;
}

/**
 * The second line of defence behind the per-verification orchestration: erases what is past a
 * deadline but still there (lost orchestration, failed activity, erasure request whose
 * orchestration died), purges old tombstones and deletes orphaned blob prefixes. At most
 * `batchSize` items of each kind per run; the next run takes the rest.
 */
export async function sweepRetention(deps: RetentionSweepDeps, batchSize: number): Promise<SweepReport> {
  const now = deps.clock.now().toISOString();
  const top = Math.max(1, Math.floor(batchSize));
  const report: SweepReport = { media: 0, records: 0, tombstones: 0, orphanPrefixes: 0, erased: [] };

  const { resources: due } = await deps.verificationsContainer.items
    .query<DueRow>({
      query:
        `SELECT TOP ${top} c.id, c.tenantId, c.recordExpiresAt, c.erasureRequestedAt FROM c ` +
        "WHERE c.status != 'erased' AND (c.recordExpiresAt <= @now OR IS_DEFINED(c.erasureRequestedAt) " +
        'OR (c.mediaExpiresAt <= @now AND NOT IS_DEFINED(c.mediaErasedAt)))',
      parameters: [{ name: '@now', value: now }],
    })
    .fetchAll();
  for (const row of due) {
    const ref = { tenantId: row.tenantId, verificationId: row.id };
    if (row.recordExpiresAt <= now || row.erasureRequestedAt !== undefined) {
      await eraseVerification(deps, ref, 'sweep');
      report.records++;
    } else {
      await eraseVerificationMedia(deps, ref);
      report.media++;
    }
    report.erased.push(ref);
  }

  const { resources: old } = await deps.verificationsContainer.items
    .query<{ id: string; tenantId: string }>({
      query: `SELECT TOP ${top} c.id, c.tenantId FROM c WHERE c.status = 'erased' AND c.purgeAt <= @now`,
      parameters: [{ name: '@now', value: now }],
    })
    .fetchAll();
  for (const t of old) {
    try {
      await deps.verificationsContainer.item(t.id, t.tenantId).delete();
      report.tombstones++;
    } catch (e) {
      if ((e as { code?: unknown }).code !== 404) throw e;
    }
  }

  report.orphanPrefixes = await sweepOrphans(deps, top);
  return report;
}

/**
 * Blob prefixes `{tenant}/{verification}/` whose record is gone or erased. The record is written
 * before any blob (create-verification.ts), so a prefix without one is never an upload in flight.
 */
async function sweepOrphans(deps: VerificationErasureDeps, limit: number): Promise<number> {
  let erased = 0;
  for await (const tenant of deps.media.listBlobsByHierarchy('/')) {
    if (tenant.kind !== 'prefix') continue;
    const tenantId = tenant.name.slice(0, -1);
    for await (const entry of deps.media.listBlobsByHierarchy('/', { prefix: tenant.name })) {
      if (entry.kind !== 'prefix') continue;
      const verificationId = entry.name.slice(tenant.name.length, -1);
      if (!isSafeId(tenantId) || !isSafeId(verificationId)) continue;
      const found = await deps.verifications.lookup(tenantId, verificationId);
      if (found?.kind === 'record' && !found.record.mediaErasedAt) continue;
      await eraseBlobPrefix(deps.media, verificationPrefix(tenantId, verificationId), { versions: deps.blobVersions === true });
      if (++erased >= limit) return erased;
    }
  }
  return erased;
}
