// The operators' workbook: verifications by outcome, decision latency, backlog, dead letters per
// queue, webhook failures and order flow. Custom metric names come from ../metric-names.json
// (kept identical to shared/platform/metric-names.ts by tests/unit/infra).
param location string
param tags object
param appInsightsId string
param serviceBusId string

var metric = loadJsonContent('../metric-names.json')
var day = 86400000

// One KQL tile over Application Insights.
func kqlTile(name string, title string, query string, visualization string) object => {
  type: 3
  name: name
  content: {
    version: 'KqlItem/1.0'
    title: title
    query: query
    size: 0
    queryType: 0
    resourceType: 'microsoft.insights/components'
    visualization: visualization
    timeContext: { durationMs: 86400000 }
  }
}

var items = [
  {
    type: 1
    name: 'intro'
    content: { json: '## Vouch operations\nLast 24 hours. Metric definitions: `shared/platform/metric-names.ts`. Alerts: `infra/bicep/modules/alerts.bicep`.' }
  }
  kqlTile('verifications-by-outcome', 'Verifications by outcome (per hour)', 'customMetrics | where name == "${metric.kycDecisions}" | summarize decisions = sum(valueSum) by outcome = tostring(customDimensions.outcome), bin(timestamp, 1h)', 'barchart')
  kqlTile('decline-reasons', 'Decisions by outcome and first reason', 'customMetrics | where name == "${metric.kycDecisions}" | summarize decisions = sum(valueSum) by outcome = tostring(customDimensions.outcome), reason = tostring(customDimensions.reason) | order by decisions desc', 'table')
  kqlTile('decision-latency', 'Upload-to-decision latency p50 / p95 (ms)', 'customMetrics | where name == "${metric.kycStageDuration}" and tostring(customDimensions.stage) == "decision" | extend mean = valueSum / iff(valueCount > 0, valueCount, 1), weight = toint(max_of(valueCount, 1)) | summarize p50 = percentilew(mean, weight, 50), p95 = percentilew(mean, weight, 95) by bin(timestamp, 15m)', 'timechart')
  kqlTile('stage-latency', 'Stage durations p95 (ms)', 'customMetrics | where name == "${metric.kycStageDuration}" | extend mean = valueSum / iff(valueCount > 0, valueCount, 1), weight = toint(max_of(valueCount, 1)) | summarize p95 = percentilew(mean, weight, 95) by stage = tostring(customDimensions.stage), bin(timestamp, 15m)', 'timechart')
  kqlTile('backlog', 'Backlog: active messages per queue', 'customMetrics | where name == "${metric.backlogDepth}" | summarize depth = max(valueMax) by queue = tostring(customDimensions.queue), bin(timestamp, 5m)', 'timechart')
  {
    type: 10
    name: 'dead-letters'
    content: {
      chartId: 'dead-letters'
      version: 'MetricsItem/2.0'
      title: 'Dead-lettered messages per queue'
      size: 0
      chartType: 2
      resourceType: 'microsoft.servicebus/namespaces'
      metricScope: 0
      resourceIds: [serviceBusId]
      timeContext: { durationMs: day }
      metrics: [
        {
          namespace: 'microsoft.servicebus/namespaces'
          metric: 'microsoft.servicebus/namespaces--DeadletteredMessages'
          aggregation: 3
          splitBy: 'EntityName'
        }
      ]
    }
  }
  kqlTile('webhook-failures', 'Webhook deliveries that did not succeed', 'customMetrics | where name == "${metric.webhookDeliveries}" | extend outcome = tostring(customDimensions.outcome) | where outcome != "delivered" | summarize attempts = sum(valueSum) by outcome, eventType = tostring(customDimensions.eventType), bin(timestamp, 1h)', 'barchart')
  kqlTile('order-flow', 'Order flow: created and assigned per hour', 'union (requests | where name in ("createPayin", "createPayout") and success == true | summarize count = count() by step = strcat("created ", iff(name == "createPayin", "payin", "payout")), bin(timestamp, 1h)), (customMetrics | where name == "${metric.orderAssignmentLatency}" | summarize count = sum(valueCount) by step = strcat("assigned ", tostring(customDimensions.direction)), bin(timestamp, 1h))', 'timechart')
  kqlTile('assignment-latency', 'Order assignment latency p50 / p95 (ms)', 'customMetrics | where name == "${metric.orderAssignmentLatency}" | extend mean = valueSum / iff(valueCount > 0, valueCount, 1), weight = toint(max_of(valueCount, 1)) | summarize p50 = percentilew(mean, weight, 50), p95 = percentilew(mean, weight, 95) by direction = tostring(customDimensions.direction)', 'table')
  kqlTile('ledger', 'Ledger reconciliation runs', 'customMetrics | where name == "${metric.ledgerReconciliation}" | summarize runs = sum(valueCount), mismatchedAccounts = max(valueMax) by result = tostring(customDimensions.result), bin(timestamp, 1h)', 'table')
]

resource workbook 'Microsoft.Insights/workbooks@2023-06-01' = {
  name: guid(resourceGroup().id, appInsightsId, 'vouch-operations')
  location: location
  tags: tags
  kind: 'shared'
  properties: {
    displayName: 'Vouch operations'
    category: 'workbook'
    sourceId: appInsightsId
    serializedData: string({ version: 'Notebook/1.0', items: items, isLocked: false })
  }
}

output workbookId string = workbook.id
