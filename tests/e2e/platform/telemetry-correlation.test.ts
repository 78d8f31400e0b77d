/**
 * Telemetry correlation captured locally: the whole app on the local runtime sends its telemetry to
 * a loopback ingestion endpoint named by APPLICATIONINSIGHTS_CONNECTION_STRING, one photo
 * verification runs end to end (HTTP upload → manifest blob trigger → retention orchestration and
 * Service Bus `faces` message → decision → erasure activity), and every item of it carries the
 * upload request's operation id; one pay-in (HTTP → `orders` Service Bus message → order orchestration
 * and its activities) is one operation too. The custom metrics arrive, and nothing personal leaves the app.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import { type E2eHost, png, startE2eHost, uploadForm } from '../../support/e2e-host';
import { type Envelope, type IngestionCapture, startIngestionCapture } from '../../support/ingestion-capture';
import { stillFrame } from '../../support/media-fixtures';
import { METRICS } from '../../../shared/platform/metric-names';
import { KYC_DECISION_EVENT } from '../../../shared/platform/metrics';
import { resetTelemetryForTests } from '../../../shared/platform/telemetry';
import { FUNCTIONS } from '../../../shared/names';

const kind = (e: Envelope) => e.data?.baseType ?? e.name;
const operationId = (e: Envelope) => e.tags?.['ai.operation.id'];
const base = (e: Envelope) => e.data?.baseData ?? {};

describe('telemetry correlation through the local runtime', () => {
  let capture: IngestionCapture;
  let app: E2eHost | undefined;
  /** Unique so a match in the captured bodies can only come from this verification. */
  const subjectRef = `subject-${randomBytes(6).toString('hex')}`;
  const customerRef = `customer-${randomBytes(6).toString('hex')}`;
  let verificationId = '';
  let orderId = '';

  before(async () => {
    capture = await startIngestionCapture();
    resetTelemetryForTests();
    app = await startE2eHost({ APPLICATIONINSIGHTS_CONNECTION_STRING: capture.connectionString });
    const [document, selfie] = await Promise.all([readFile(await stillFrame('grid_bbaf2n', 0.3)), readFile(await stillFrame('grid_bbaf2n', 2.5))]);
    const form = uploadForm([png('document', document), png('selfie', selfie)]);
    form.append('subjectRef', subjectRef);
    const response = await app.call('/api/v1/verifications', { method: 'POST', apiKey: 'demo-a-key', body: form });
    const text = await response.text();
    assert.equal(response.status, 202, text);
    verificationId = (JSON.parse(text) as { id: string }).id;
    await app.waitForDecision(verificationId);
    // The erasure runs as an activity of the verification's retention orchestration.
    const erase = await app.call(`/api/v1/verifications/${verificationId}`, { method: 'DELETE', apiKey: 'demo-a-key' });
    assert.equal(erase.status, 202, await erase.text());
    const deadline = Date.now() + 60_000;
    for (;;) {
      const view = await app.call(`/api/v1/verifications/${verificationId}`, { apiKey: 'demo-a-key' });
      await view.text();
      if (view.status !== 200) break;
      if (Date.now() > deadline) throw new Error('the erasure activity did not run within the deadline');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }

    const payin = await app.call('/api/v1/payins', {
      method: 'POST',
      apiKey: 'demo-a-key',
      headers: { 'idempotency-key': `telemetry-${customerRef}`, 'content-type': 'application/json' },
      body: JSON.stringify({ amount: '1000.00', currency: 'RUB', method: 'card', customerRef }),
    });
    const created = await payin.text();
    assert.equal(payin.status, 201, created);
    orderId = (JSON.parse(created) as { id: string }).id;
    for (;;) {
      const view = (await (await app.call(`/api/v1/payins/${orderId}`, { apiKey: 'demo-a-key' })).json()) as { status: string };
      if (view.status === 'assigned') break;
      if (Date.now() > deadline + 60_000) throw new Error(`the pay-in stayed ${view.status}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    // Stopping runs the app's appTerminate hook, which flushes what the SDK buffered (metrics: once a minute).
    const host = app;
    app = undefined;
    await host.stop();
  });

  after(async () => {
    await app?.stop();
    await capture?.stop();
    resetTelemetryForTests();
  });

  it('should post to the ingestion endpoint the connection string names', () => {
    assert.ok(capture.envelopes.length > 0, 'nothing captured');
    assert.deepEqual([...new Set(capture.paths)], ['/v2.1/track']);
    assert.ok(capture.envelopes.every((e) => e.iKey === '00000000-0000-4000-8000-00000000abcd'));
  });

  it('should give the upload, blob trigger, Service Bus handler, orchestration and activity one operation id', (t) => {
    const requests = capture.envelopes.filter((e) => kind(e) === 'RequestData');
    const upload = requests.find((e) => base(e).name === FUNCTIONS.createVerification);
    assert.ok(upload, `no createVerification request in ${requests.map((e) => String(base(e).name)).join(', ')}`);
    assert.equal(base(upload).responseCode, '202');
    const trace = operationId(upload);
    assert.match(trace ?? '', /^[0-9a-f]{32}$/);

    const inTrace = capture.envelopes.filter((e) => operationId(e) === trace);
    const names = new Set(inTrace.filter((e) => kind(e) === 'RequestData').map((e) => String(base(e).name)));
    t.diagnostic(`operation ${trace}: ${inTrace.length} items; requests ${[...names].join(', ')}`);
    for (const fn of [FUNCTIONS.kycMediaUploaded, FUNCTIONS.matchVerificationFaces, FUNCTIONS.verificationRetention, FUNCTIONS.eraseVerificationRecordActivity]) {
      assert.ok(names.has(fn), `${fn} is not in the upload's operation (${[...names].join(', ')})`);
    }
    // Every invocation of those functions is in it (no second root for a later episode or retry).
    const pipeline: string[] = [FUNCTIONS.kycMediaUploaded, FUNCTIONS.matchVerificationFaces, FUNCTIONS.verificationRetention];
    for (const e of requests.filter((r) => pipeline.includes(String(base(r).name)))) {
      assert.equal(operationId(e), trace, `${String(base(e).name)} in another operation`);
    }

    const decision = inTrace.find((e) => kind(e) === 'EventData' && base(e).name === KYC_DECISION_EVENT);
    assert.ok(decision, 'the KycDecision event is not in the operation');
    assert.deepEqual(base(decision).properties, { verificationId, outcome: 'approved', reason: 'none' });
    const logs = inTrace.filter((e) => kind(e) === 'MessageData').map((e) => String(base(e).message));
    assert.ok(logs.some((m) => m.includes(`${verificationId}: manifest`)), `no blob-trigger log line in the operation: ${logs.join(' | ')}`);
    assert.ok(logs.some((m) => m.includes(`${verificationId}: faces`)), `no faces log line in the operation: ${logs.join(' | ')}`);
  });

  it('should give the pay-in, its Service Bus handler, the order orchestration and its activities one operation id', (t) => {
    const requests = capture.envelopes.filter((e) => kind(e) === 'RequestData');
    const create = requests.find((e) => base(e).name === FUNCTIONS.createPayin && base(e).responseCode === '201');
    assert.ok(create, 'no createPayin request answered 201');
    const trace = operationId(create);
    const names = new Set(requests.filter((e) => operationId(e) === trace).map((e) => String(base(e).name)));
    t.diagnostic(`operation ${trace}: requests ${[...names].join(', ')}`);
    for (const fn of [FUNCTIONS.processOrder, FUNCTIONS.orderLifecycle, FUNCTIONS.orderAssignActivity]) {
      assert.ok(names.has(fn), `${fn} is not in the pay-in's operation (${[...names].join(', ')})`);
    }
  });

  it('should deliver the custom metrics: the decision by outcome and the stage durations', () => {
    const metrics = capture.envelopes
      .filter((e) => kind(e) === 'MetricData')
      .flatMap((e) => ((base(e).metrics ?? []) as { name: string; value: number; count?: number }[]).map((m) => ({ ...m, properties: (base(e).properties ?? {}) as Record<string, string> })));
    const decisions = metrics.filter((m) => m.name === METRICS.kycDecisions);
    assert.ok(decisions.some((m) => m.properties.outcome === 'approved' && m.properties.reason === 'none'), JSON.stringify(decisions));
    const stages = new Set(metrics.filter((m) => m.name === METRICS.kycStageDuration).map((m) => m.properties.stage));
    for (const stage of ['upload', 'faces', 'decision']) assert.ok(stages.has(stage), `no ${stage} stage duration in ${[...stages].join(', ')}`);
    assert.ok(metrics.some((m) => m.name === METRICS.backlogDepth), 'no backlog depth sample');
    assert.ok(metrics.some((m) => m.name === METRICS.orderAssignmentLatency && m.properties.direction === 'payin'), 'no pay-in assignment latency');
  });

  it('should send no personal data or secret in any item', () => {
    const everything = capture.bodies.join('\n');
    assert.ok(everything.includes(verificationId), 'the capture holds the verification');
    assert.equal(everything.includes(subjectRef), false, 'the subjectRef left the app in telemetry');
    assert.ok(everything.includes(orderId), 'the capture holds the order');
    assert.equal(everything.includes(customerRef), false, 'the customerRef left the app in telemetry');
    assert.equal(everything.includes('demo-a-key'), false, 'an API key left the app in telemetry');
    assert.equal(/[?&]subjectRef=/.test(everything), false, 'a URL with a subjectRef query left the app');
  });
});
