/**
 * Vouch's custom metrics, one typed recorder per signal, under the names the bicep workbook and
 * alerts query (`metric-names.ts`). Dimensions are codes only (outcomes, reasons, stages, queues,
 * directions): never a subjectRef, a name or an account number. Each decision is also tracked as
 * the event `KycDecision` (verification id and outcome), which carries the operation id: metrics
 * are aggregated, events let Application Insights show the decision inside the transaction.
 */
import { METRICS } from './metric-names';
import { telemetry } from './telemetry';

export type KycStage = 'upload' | 'frames' | 'faces' | 'decision';

export const KYC_DECISION_EVENT = 'KycDecision';

export function recordKycDecision(input: { verificationId: string; outcome: string; reasons: readonly string[]; reviewed?: boolean; createdAt: string; decidedAt?: string }): void {
  const t = telemetry();
  const reason = input.reasons[0] ?? 'none';
  t.metric(METRICS.kycDecisions, 1, { outcome: input.outcome, reason, reviewed: String(input.reviewed ?? false) });
  t.event(KYC_DECISION_EVENT, { verificationId: input.verificationId, outcome: input.outcome, reason });
  if (input.decidedAt) {
    const ms = Date.parse(input.decidedAt) - Date.parse(input.createdAt);
    if (Number.isFinite(ms) && ms >= 0) recordKycStage('decision', ms);
  }
}

export const recordKycStage = (stage: KycStage, durationMs: number): void =>
  telemetry().metric(METRICS.kycStageDuration, Math.round(durationMs), { stage });

export const recordBacklog = (queue: string, depth: number): void => telemetry().metric(METRICS.backlogDepth, depth, { queue });

export type WebhookMetricOutcome = 'delivered' | 'retrying' | 'dead_lettered';

export const recordWebhookDelivery = (outcome: WebhookMetricOutcome, eventType: string): void =>
  telemetry().metric(METRICS.webhookDeliveries, 1, { outcome, eventType });

export const recordOrderAssignment = (direction: string, latencyMs: number): void =>
  telemetry().metric(METRICS.orderAssignmentLatency, Math.max(0, Math.round(latencyMs)), { direction });

export const recordLedgerReconciliation = (mismatches: number): void =>
  telemetry().metric(METRICS.ledgerReconciliation, mismatches, { result: mismatches === 0 ? 'ok' : 'mismatch' });
