/**
 * The review desk's timers: the overdue-case count behind the SLA alert, and the re-drive of
 * decisions whose announcement a crash cut short. Both read across tenants (a timer's fan-out
 * query), and both are safe to run twice.
 */
import type { Container } from '@azure/cosmos';
import { METRICS } from '../../platform/metric-names';
import type { Telemetry } from '../../platform/telemetry';
import type { KycSettings } from '../kyc-settings';
import { announceReviewDecision, type ReviewDecisionDeps } from './decide-review';

/** Open review cases that entered review before `cutoff` (ISO), across tenants. */
export async function countReviewCasesSince(container: Container, cutoff: string): Promise<number> {
  const { resources } = await container.items
    .query<number>({
      query: "SELECT VALUE COUNT(1) FROM c WHERE c.status = 'review' AND c.decidedAt < @cutoff",
      parameters: [{ name: '@cutoff', value: cutoff }],
    })
    .fetchAll();
  // A cross-partition COUNT comes back as one partial count per partition range.
  return resources.reduce((sum, n) => sum + n, 0);
}

/**
 * Emits `vouch.review.overdue`: how many cases have waited longer than `kyc.reviewSlaMinutes`.
 * Sent every run, zero included, so an alert on it sees a steady series.
 */
export async function reportOverdueReviews(
  container: Container,
  deps: { settings: Pick<KycSettings, 'reviewSlaMinutes'>; now: Date; telemetry: Telemetry },
): Promise<number> {
  const cutoff = new Date(deps.now.getTime() - deps.settings.reviewSlaMinutes * 60_000).toISOString();
  const overdue = await countReviewCasesSince(container, cutoff);
  deps.telemetry.metric(METRICS.reviewOverdue, overdue, { slaMinutes: String(deps.settings.reviewSlaMinutes) });
  return overdue;
}

/** A decision younger than this is probably still being announced by its own request. */
const ANNOUNCE_GRACE_MS = 2 * 60_000;

/** Announces settled cases whose decision was never marked announced (at most `limit` per run). */
export async function redriveReviewAnnouncements(container: Container, deps: ReviewDecisionDeps, limit = 200): Promise<number> {
  const cutoff = new Date(deps.clock.now().getTime() - ANNOUNCE_GRACE_MS).toISOString();
  const { resources } = await container.items
    .query<{ tenantId: string; id: string }>({
      query:
        'SELECT TOP @limit c.tenantId, c.id FROM c WHERE IS_DEFINED(c.review) AND NOT IS_DEFINED(c.review.announcedAt) AND c.review.decidedAt < @cutoff',
      parameters: [
        { name: '@limit', value: limit },
        { name: '@cutoff', value: cutoff },
      ],
    })
    .fetchAll();
  let announced = 0;
  for (const { tenantId, id } of resources) {
    const record = await deps.verifications.get(tenantId, id);
    if (!record?.review || record.review.announcedAt) continue;
    await announceReviewDecision(record, deps);
    announced++;
  }
  return announced;
}
