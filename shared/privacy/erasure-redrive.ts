/**
 * Re-drives subject erasures whose orchestration was lost: the host died between writing the
 * `erasures` document and `startNew`, or the run ended Failed/Terminated after its retries. Such
 * a document stays `pending` and keeps the raw subjectRef, so the daily timer finds pending
 * erasures older than a grace period and starts their orchestration again under the same
 * instance id. Every activity is idempotent, so a new run picks up where the erasure stands.
 */
import type { Clock } from '../platform/clock';
import type { ErasureStore } from './erasure-store';
import { subjectErasureInstanceId, type SubjectErasureRef } from './subject-erasure';
import { instanceStatus, isAlreadyExists } from './instance-status';

/** How old a pending erasure must be before the timer touches it: the POST starts it within this. */
export const REDRIVE_GRACE_MS = 10 * 60_000;

/** The durable client's methods the re-drive uses (kept narrow: shared/ needs no durable types). */
export interface ErasureOrchestrationClient {
  startNew(name: string, options: { instanceId: string; input: unknown }): Promise<string>;
  /** Rejects (HTTP 404) or answers undefined when there is no such instance. */
  getStatus(instanceId: string): Promise<{ runtimeStatus?: unknown } | undefined>;
}

/**
 * `started`: no instance existed; `restarted`: it had ended Failed, Terminated or Canceled;
 * `skipped`: it exists in another state (pending, running, suspended, or completed a moment ago),
 * left alone.
 */
export type RedriveOutcome = 'started' | 'restarted' | 'skipped';

/** Runtime statuses of a run that ended without finishing; a start over them is allowed. */
const RESTARTABLE = new Set(['Failed', 'Terminated', 'Canceled']);

/** Starts the erasure's orchestration when it is missing or ended without finishing. */
export async function redriveErasure(client: ErasureOrchestrationClient, orchestration: string, ref: SubjectErasureRef): Promise<RedriveOutcome> {
  const instanceId = subjectErasureInstanceId(ref);
  const status = await instanceStatus(client, instanceId);
  if (status !== undefined && !RESTARTABLE.has(status)) return 'skipped';
  try {
    // The input carries ids only, like the POST's start.
    await client.startNew(orchestration, { instanceId, input: { tenantId: ref.tenantId, erasureId: ref.erasureId } });
  } catch (error) {
    // Another starter (a second timer host) won the race.
    if (isAlreadyExists(error)) return 'skipped';
    throw error;
  }
  return status === undefined ? 'started' : 'restarted';
}

export interface ErasureRedriveDeps {
  erasures: Pick<ErasureStore, 'pendingBefore'>;
  client: ErasureOrchestrationClient;
  clock: Clock;
  /** The `subjectErasure` orchestration's name. */
  orchestration: string;
}

/** What one re-drive pass did. */
export interface RedriveReport {
  /** Pending erasures older than the grace period. */
  pending: number;
  /** Those whose orchestration was started or restarted. */
  redriven: Array<SubjectErasureRef & { outcome: Exclude<RedriveOutcome, 'skipped'> }>;
}

/** Finds pending erasures older than `REDRIVE_GRACE_MS` (at most `batchSize`) and re-drives each. */
export async function redrivePendingErasures(deps: ErasureRedriveDeps, batchSize: number): Promise<RedriveReport> {
  const before = new Date(deps.clock.now().getTime() - REDRIVE_GRACE_MS).toISOString();
  const pending = await deps.erasures.pendingBefore(before, batchSize);
  const report: RedriveReport = { pending: pending.length, redriven: [] };
  for (const ref of pending) {
    const outcome = await redriveErasure(deps.client, deps.orchestration, ref);
    if (outcome !== 'skipped') report.redriven.push({ ...ref, outcome });
  }
  return report;
}
