// Alert rules for operators, all notifying one action group (e-mail when `alertEmail` is set).
// Custom metric names come from ../metric-names.json, a copy of shared/platform/metric-names.ts
// that tests/unit/infra keeps identical. customMetrics rows may be pre-aggregated by the SDK
// (valueCount > 1, value = valueSum), so sums use valueSum and percentiles weigh each row's
// mean by its count.
param name string
param location string
param tags object
param alertEmail string
param appInsightsId string
param serviceBusId string
param decisionLatencyP95AlertMs int

var metric = loadJsonContent('../metric-names.json')

resource actionGroup 'Microsoft.Insights/actionGroups@2023-01-01' = {
  name: '${name}-operators'
  location: 'global'
  tags: tags
  properties: {
    groupShortName: take('${name}ops', 12)
    enabled: true
    emailReceivers: empty(alertEmail) ? [] : [{ name: 'operators', emailAddress: alertEmail, useCommonAlertSchema: true }]
  }
}

// Any message in any queue's dead-letter sub-queue: a verification, order or webhook that exhausted its retries.
resource deadLetters 'Microsoft.Insights/metricAlerts@2026-01-01' = {
  name: '${name}-dead-lettered-messages'
  location: 'global'
  tags: tags
  properties: {
    description: 'A Service Bus queue has dead-lettered messages (split by queue). Inspect and re-drive or discard them.'
    severity: 1
    enabled: true
    scopes: [serviceBusId]
    evaluationFrequency: 'PT1M'
    windowSize: 'PT5M'
    criteria: {
      'odata.type': 'Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria'
      allOf: [
        {
          criterionType: 'StaticThresholdCriterion'
          name: 'dead-lettered'
          metricNamespace: 'Microsoft.ServiceBus/namespaces'
          metricName: 'DeadletteredMessages'
          dimensions: [{ name: 'EntityName', operator: 'Include', values: ['*'] }]
          operator: 'GreaterThan'
          threshold: 0
          timeAggregation: 'Maximum'
        }
      ]
    }
    actions: [{ actionGroupId: actionGroup.id }]
  }
}

var logAlerts = [
  {
    key: 'failure-rate'
    severity: 2
    description: 'More than 5 % of function invocations failed in 15 minutes (at least 20 invocations).'
    query: 'requests | summarize total = count(), failed = countif(success == false) | where total >= 20 | project failureRatePercent = 100.0 * failed / total'
    column: 'failureRatePercent'
    threshold: 5
  }
  {
    key: 'stalled-verifications'
    severity: 2
    description: 'The KYC watchdog failed verifications that stalled before a decision.'
    query: 'customMetrics | where name == "${metric.kycStalled}" | summarize stalled = sum(valueSum)'
    column: 'stalled'
    threshold: 0
  }
  {
    key: 'ledger-mismatch'
    severity: 0
    description: 'Ledger reconciliation found accounts whose balance is not the sum of their postings.'
    query: 'customMetrics | where name == "${metric.ledgerReconciliation}" | where tostring(customDimensions.result) == "mismatch" or valueMax > 0 | summarize mismatched = max(valueMax)'
    column: 'mismatched'
    threshold: 0
  }
  {
    key: 'review-overdue'
    severity: 2
    description: 'Review cases waiting past kyc.reviewSlaMinutes.'
    query: 'customMetrics | where name == "${metric.reviewOverdue}" | summarize overdue = max(valueMax)'
    column: 'overdue'
    threshold: 0
  }
  {
    key: 'decision-latency-p95'
    severity: 3
    description: 'p95 upload-to-decision latency is over ${decisionLatencyP95AlertMs} ms.'
    query: 'customMetrics | where name == "${metric.kycStageDuration}" and tostring(customDimensions.stage) == "decision" | extend mean = valueSum / iff(valueCount > 0, valueCount, 1) | summarize p95 = percentilew(mean, toint(max_of(valueCount, 1)), 95)'
    column: 'p95'
    threshold: decisionLatencyP95AlertMs
  }
]

resource logAlert 'Microsoft.Insights/scheduledQueryRules@2026-03-01' = [for a in logAlerts: {
  name: '${name}-${a.key}'
  location: location
  tags: tags
  properties: {
    description: a.description
    severity: a.severity
    enabled: true
    scopes: [appInsightsId]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT15M'
    criteria: {
      allOf: [
        {
          query: a.query
          timeAggregation: 'Maximum'
          metricMeasureColumn: a.column
          operator: 'GreaterThan'
          threshold: a.threshold
          failingPeriods: { numberOfEvaluationPeriods: 1, minFailingPeriodsToAlert: 1 }
        }
      ]
    }
    actions: { actionGroups: [actionGroup.id] }
  }
}]
