/**
 * Names and dimensions of Vouch's custom metrics in Application Insights (`customMetrics`).
 * The workbook and alert rules in `infra/bicep` query these exact names, so they live in one place.
 */
export const METRICS = {
  /** One per decision; value 1. Dimensions: `outcome` (approved|declined|review|failed), `reason` (first reason code or `none`), `reviewed` (true|false). */
  kycDecisions: 'vouch.kyc.decisions',
  /** Milliseconds one KYC stage took. Dimension `stage`: upload|frames|faces|decision (decision = upload to decision). */
  kycStageDuration: 'vouch.kyc.stage_duration_ms',
  /** Active messages waiting on a queue (sampled). Dimension `queue`. */
  backlogDepth: 'vouch.backlog.depth',
  /** Verifications the watchdog found stalled and failed; value = how many in one sweep. */
  kycStalled: 'vouch.kyc.stalled',
  /** Review cases waiting past the review SLA (sampled); value = how many. */
  reviewOverdue: 'vouch.review.overdue',
  /** One per webhook delivery attempt; value 1. Dimension `outcome`: delivered|retrying|dead_lettered, `eventType`. */
  webhookDeliveries: 'vouch.webhooks.deliveries',
  /** Milliseconds from order creation to assignment. Dimension `direction`: payin|payout. */
  orderAssignmentLatency: 'vouch.orders.assignment_latency_ms',
  /** One per reconciliation run; value = number of mismatched accounts (0 when balanced). Dimension `result`: ok|mismatch. */
  ledgerReconciliation: 'vouch.ledger.reconciliation',
} as const;
export type MetricName = (typeof METRICS)[keyof typeof METRICS];
