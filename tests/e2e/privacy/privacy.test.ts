/**
 * The privacy lifecycle end to end over HTTP against the real local runtime (durable timers,
 * blob trigger, Service Bus, Azurite, Cosmos): retention deadlines with a moved app clock,
 * DELETE, subject erasure with orders and a reconciled ledger, export. No timing assertions:
 * every wait is a poll with a generous ceiling.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import { verificationPrefix } from '../../../shared/kyc/blob-names';
import { BLOB_CONTAINERS } from '../../../shared/names';
import { blobContainer } from '../../../shared/platform/blob';
import { cosmosDatabase } from '../../../shared/platform/cosmos';
import { newVerificationRecord } from '../../../shared/kyc/verification';
import { subjectErasureDeps } from '../../../shared/wiring/privacy';
import { createSubjectErasure } from '../../../shared/privacy/subject-erasure';
import { kycStores, useClockForTests } from '../../../shared/wiring/kyc';
import { orderEngine } from '../../../shared/wiring/orders';
import { type E2eHost, type UploadPart, png, startE2eHost, uploadForm } from '../../support/e2e-host';
import { stillFrame } from '../../support/media-fixtures';
import { eventually as poll } from '../../support/eventually';

/** Polling ceiling and interval of this file (no timing assertion). */
const eventually = <T>(read: () => Promise<T | undefined>, what: string, timeoutMs = 90_000) => poll(read, what, { timeoutMs, pollMs: 250, retryErrors: true });

const DAY_MS = 86_400_000;
const TENANT = 'demo-a';
const API_KEY = 'demo-a-key';

describe('privacy lifecycle end to end', () => {
  let app: E2eHost;
  let parts: UploadPart[];

  before(async () => {
    const [host, document, selfie] = await Promise.all([
      startE2eHost(),
      readFile(await stillFrame('grid_bbaf2n', 0.3)),
      readFile(await stillFrame('grid_bbaf2n', 2.5)),
    ]);
    app = host;
    parts = [png('document', document), png('selfie', selfie)];
  });
  after(() => app?.stop());

  async function submit(subjectRef: string): Promise<string> {
    const form = uploadForm(parts);
    form.append('subjectRef', subjectRef);
    const response = await app.call('/api/v1/verifications', { method: 'POST', apiKey: API_KEY, body: form });
    const text = await response.text();
    assert.equal(response.status, 202, text);
    return (JSON.parse(text) as { id: string }).id;
  }

  const blobNames = async (id: string): Promise<string[]> => {
    const names: string[] = [];
    for await (const b of (await blobContainer(BLOB_CONTAINERS.kycMedia)).listBlobsFlat({ prefix: verificationPrefix(TENANT, id) })) names.push(b.name);
    return names;
  };

  /** Polls GET until the verification is decided (tolerating transient 5xx, unlike `waitForDecision`). */
  const decided = (id: string) =>
    eventually(async () => {
      const s = await getStatus(id);
      return s.status === 200 && ['approved', 'declined', 'review', 'failed'].includes(String(s.body.status)) ? s : undefined;
    }, `verification ${id} to be decided`, 180_000);

  const getStatus = async (id: string) => {
    const response = await app.call(`/api/v1/verifications/${id}`, { apiKey: API_KEY });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  /** GET's answer once it is not a transient 5xx. */
  const settledStatus = (id: string) =>
    eventually(async () => {
      const s = await getStatus(id);
      return s.status < 500 ? s : undefined;
    }, `GET ${id}`);

  /** Every document of every container of the app's database whose JSON contains `needle`. */
  async function documentsMentioning(needle: string): Promise<string[]> {
    const db = await cosmosDatabase();
    const { resources: containers } = await db.containers.readAll().fetchAll();
    const found: string[] = [];
    for (const { id } of containers) {
      const { resources } = await db.container(id).items.query('SELECT * FROM c').fetchAll();
      for (const r of resources) if (JSON.stringify(r).includes(needle)) found.push(`${id}/${(r as { id: string }).id}`);
    }
    return found;
  }

  it('should erase media and record of a verification created past both deadlines', async () => {
    const restore = useClockForTests({ now: () => new Date(Date.now() - 91 * DAY_MS) });
    let id: string;
    try {
      id = await submit('subject-expired');
    } finally {
      restore();
    }
    const gone = await eventually(async () => {
      const s = await getStatus(id);
      return s.status === 410 || s.status === 404 ? s : undefined;
    }, 'the record to go');
    assert.ok([404, 410].includes(gone.status));
    assert.deepEqual(await blobNames(id), []);
    assert.deepEqual(await documentsMentioning('subject-expired'), []);
  });

  it('should erase the media at a deadline seconds away and keep the record until its own', async () => {
    // The media deadline is 20 s after creation; the pipeline may or may not have decided by then.
    const restore = useClockForTests({ now: () => new Date(Date.now() - 7 * DAY_MS + 20_000) });
    let id: string;
    try {
      id = await submit('subject-media-deadline');
    } finally {
      restore();
    }
    await eventually(async () => ((await blobNames(id)).length === 0 ? true : undefined), 'the media deadline');
    const after = await settledStatus(id);
    assert.equal(after.status, 200, 'the record stays until the record deadline');
    assert.equal(after.body.subjectRef, 'subject-media-deadline');
  });

  it('should erase on DELETE, answer 410 with only id, status and erasedAt, and take a second DELETE and a late faces message harmlessly', async () => {
    const subjectRef = 'subject-delete-me';
    const id = await submit(subjectRef);
    await decided(id);
    const deleted = await app.call(`/api/v1/verifications/${id}`, { method: 'DELETE', apiKey: API_KEY });
    assert.equal(deleted.status, 202);
    assert.deepEqual(await deleted.json(), { id, status: 'erasing' });
    const gone = await eventually(async () => {
      const s = await getStatus(id);
      return s.status === 410 ? s : undefined;
    }, 'GET 410');
    assert.deepEqual(Object.keys(gone.body).sort(), ['erasedAt', 'id', 'status']);
    assert.equal(gone.body.status, 'erased');
    assert.deepEqual(await blobNames(id), []);
    assert.deepEqual(await documentsMentioning(subjectRef), []);

    const again = await app.call(`/api/v1/verifications/${id}`, { method: 'DELETE', apiKey: API_KEY });
    assert.equal(again.status, 202);
    assert.deepEqual(await again.json(), { id, status: 'erased', erasedAt: gone.body.erasedAt });

    const late = await app.call('/admin/functions/matchVerificationFaces?wait=true', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ input: { tenantId: TENANT, verificationId: id } }),
    });
    assert.equal(late.status, 200, await late.text());
    assert.deepEqual(await blobNames(id), []);
    assert.equal((await settledStatus(id)).status, 410);
    assert.deepEqual(await documentsMentioning(subjectRef), []);
  });

  it('should erase on DELETE when the verification has no retention orchestration (never reached the pipeline)', async () => {
    const id = randomUUID();
    const base = newVerificationRecord({ id, tenantId: TENANT, now: new Date(), mediaRetentionDays: 7, recordRetentionDays: 90 });
    await (await kycStores()).verifications.create({ ...base, subjectRef: 'subject-no-orchestration' });
    await (await blobContainer(BLOB_CONTAINERS.kycMedia)).getBlockBlobClient(`${verificationPrefix(TENANT, id)}document.jpg`).uploadData(Buffer.from('doc'));
    const deleted = await app.call(`/api/v1/verifications/${id}`, { method: 'DELETE', apiKey: API_KEY });
    assert.equal(deleted.status, 202);
    await eventually(async () => ((await getStatus(id)).status === 410 ? true : undefined), 'GET 410');
    assert.deepEqual(await blobNames(id), []);
    assert.deepEqual(await documentsMentioning('subject-no-orchestration'), []);
  });

  it('should answer 404 to DELETE of another tenant\'s verification', async () => {
    const id = await submit('subject-other-tenant');
    const response = await app.call(`/api/v1/verifications/${id}`, { method: 'DELETE', apiKey: 'demo-b-key' });
    assert.equal(response.status, 404);
  });

  it('should export the subject data with working media links', async () => {
    const subjectRef = 'subject-export';
    const id = await submit(subjectRef);
    const response = await app.call(`/api/v1/privacy/exports?subjectRef=${subjectRef}`, { apiKey: API_KEY });
    assert.equal(response.status, 200);
    const data = (await response.json()) as { verifications: Array<{ id: string; media: Array<{ name: string; url: string }> }>; orders: unknown[] };
    assert.deepEqual(data.verifications.map((v) => v.id), [id]);
    const document = data.verifications[0]!.media.find((m) => m.name.startsWith('document'));
    assert.ok(document, 'the document is listed');
    assert.equal((await fetch(document.url)).status, 200);

    // The same export by POST, the subjectRef in the body rather than the URL.
    const posted = await app.call('/api/v1/privacy/exports', {
      method: 'POST',
      apiKey: API_KEY,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ subjectRef }),
    });
    assert.equal(posted.status, 200);
    assert.deepEqual(((await posted.json()) as typeof data).verifications.map((v) => v.id), [id]);
  });

  it('should erase a subject: verifications gone, orders anonymised, receipt without personal data, ledger reconciled', async () => {
    const subjectRef = 'customer-privacy-e2e';
    const payin = await app.call('/api/v1/payins', {
      method: 'POST',
      apiKey: API_KEY,
      headers: { 'content-type': 'application/json', 'idempotency-key': 'privacy-e2e-payin' },
      body: JSON.stringify({ amount: '1000.00', currency: 'RUB', method: 'card', customerRef: subjectRef }),
    });
    assert.equal(payin.status, 201, await payin.clone().text());
    const orderId = ((await payin.json()) as { id: string }).id;
    const receipts = await blobContainer(BLOB_CONTAINERS.receipts);
    const receiptName = `${TENANT}/${orderId}/receipt-${randomUUID()}.pdf`;
    await receipts.getBlockBlobClient(receiptName).uploadData(Buffer.from('%PDF-1.4 receipt'));
    const id = await submit(subjectRef);
    await decided(id);

    const created = await app.call('/api/v1/privacy/erasures', {
      method: 'POST',
      apiKey: API_KEY,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ subjectRef }),
    });
    assert.equal(created.status, 202);
    const { id: erasureId, status } = (await created.json()) as { id: string; status: string };
    assert.equal(status, 'pending');
    assert.equal(created.headers.get('location'), `/api/v1/privacy/erasures/${erasureId}`);

    const done = await eventually(async () => {
      const response = await app.call(`/api/v1/privacy/erasures/${erasureId}`, { apiKey: API_KEY });
      const body = (await response.json()) as { status: string; receipt: { items: Array<{ kind: string; count: number }>; completedAt?: string } };
      return body.status === 'completed' ? body : undefined;
    }, 'the erasure to complete');
    const counts = Object.fromEntries(done.receipt.items.map((i) => [i.kind, i.count]));
    assert.equal(counts['verification-record'], 1);
    assert.equal(counts['verification-media'], 3);
    assert.equal(counts['order-customer-ref'], 1);
    assert.equal(counts['order-receipt-blob'], 1);
    assert.ok(done.receipt.completedAt);
    assert.equal(await receipts.getBlobClient(receiptName).exists(), false, 'the order receipt is deleted');
    assert.equal(JSON.stringify(done).includes(subjectRef), false);

    assert.deepEqual(await blobNames(id), []);
    assert.equal((await settledStatus(id)).status, 410);
    assert.deepEqual(await documentsMentioning(subjectRef), []);
    const engine = await orderEngine();
    const order = await engine.getOrder(TENANT, orderId);
    assert.equal(order.amountMinor, 100_000, 'amounts stay');
    const report = await engine.reconcile();
    assert.equal(report.ok, true, JSON.stringify(report));
  });

  it('should re-drive a subject erasure whose orchestration never started', async () => {
    const subjectRef = 'customer-privacy-redrive';
    const id = await submit(subjectRef);
    await decided(id);
    // The POST's crash window: the erasure document is written, startNew never ran.
    const erasureId = randomUUID();
    const deps = await subjectErasureDeps();
    await createSubjectErasure({ ...deps, clock: { now: () => new Date(Date.now() - 60 * 60_000) } }, { tenantId: TENANT, erasureId, subjectRef });

    const run = await app.call('/admin/functions/erasureRedrive?wait=true', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    const ran = (await run.json()) as { outcome: string; returnValue: { pending: number; redriven: number } };
    assert.equal(ran.outcome, 'Succeeded', JSON.stringify(ran));
    assert.ok(ran.returnValue.redriven >= 1, JSON.stringify(ran));

    const done = await eventually(async () => {
      const response = await app.call(`/api/v1/privacy/erasures/${erasureId}`, { apiKey: API_KEY });
      const body = (await response.json()) as { status: string };
      return body.status === 'completed' ? body : undefined;
    }, 'the re-driven erasure to complete');
    assert.equal(JSON.stringify(done).includes(subjectRef), false);
    assert.deepEqual(await blobNames(id), []);
    assert.deepEqual(await documentsMentioning(subjectRef), []);
  });
});
