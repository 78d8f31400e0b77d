/**
 * The liveness-with-verify session flow on real Azurite + Cosmos, with the real Azure
 * adapter (`@azure-rest/ai-vision-face`) talking to a recorded-contract loopback stub of
 * the Face v1.2 session API (Azure Face has no emulator; the stub is the only stand-in).
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import busboy from 'busboy';
import { DomainError } from '../../../../shared/errors';
import { createAzureFaceClient } from '../../../../shared/face/azure/face-client';
import { createAzureLivenessSessions } from '../../../../shared/face/azure/liveness-sessions-port';
import { startLivenessSession, type LivenessSessionDeps } from '../../../../shared/kyc/liveness-session';
import { onFacesMessage } from '../../../../shared/kyc/pipeline';
import type { PipelineDeps } from '../../../../shared/kyc/pipeline-ports';
import type { Logger } from '../../../../shared/platform/logger';
import { createInput, harness, type Harness } from '../../../integration/kyc/kyc-harness';
import { startLocalServices, type LocalServices } from '../../../integration/kyc/local-services';
import { formRequest, jpeg, png } from '../../../integration/kyc/multipart-bodies';

const KEY = 'test-key-not-a-secret';
const TOKEN_PREFIX = 'eyJhbGciOiJFUzI1NiIsIm';
const SESSIONS_PATH = '/face/v1.2/detectLivenessWithVerify-sessions';

interface StubSession { verifyImage: Buffer; deviceCorrelationId?: string; mode?: string; body: unknown }

/** Session result bodies shaped like the Face v1.2 reference examples. */
const notStarted = (sessionId: string) => ({
  sessionId, authToken: `${TOKEN_PREFIX}-${sessionId}`, status: 'NotStarted', modelVersion: '2024-11-15',
  results: { attempts: [], verifyReferences: [] },
});
const finished = (sessionId: string, livenessDecision: 'realface' | 'spoofface', matchConfidence: number) => ({
  ...notStarted(sessionId),
  status: 'Succeeded',
  results: {
    verifyReferences: [{ referenceType: 'image', faceRectangle: { top: 98, left: 131, width: 233, height: 300 }, qualityForRecognition: 'high' }],
    attempts: [{
      attemptId: 1, attemptStatus: 'Succeeded',
      result: {
        livenessDecision,
        targets: { color: { faceRectangle: { top: 669, left: 203, width: 646, height: 724 } } },
        digest: 'B0A803BB7B26F3C8F29CD36030F8E63ED3FAF955FEEF8E01C88AB8FD89CCF761',
        sessionImageId: 'Ae3PVWlXAmVAnXgkAFt1QSjGUWONKzWiSr2iPh9p9G4I',
        verifyResult: { matchConfidence, isIdentical: matchConfidence > 0.5 },
        verifyImageHash: '43B7D8E8769533C3290DBD37A84D821B2C28CB4381DF9C6784DBC4AAF7E45018',
      },
    }],
  },
});

/** A stateful stub of the session API: creates sessions, answers each session's current body. */
function faceStub() {
  const sessions = new Map<string, StubSession>();
  let next = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const reply = (status: number, body: unknown) =>
        res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      const url = new URL(req.url ?? '/', 'http://stub');
      if (req.headers['ocp-apim-subscription-key'] !== KEY) return reply(401, { error: { code: '401', message: 'bad key' } });
      if (req.method === 'POST' && url.pathname === SESSIONS_PATH) {
        const fields: Record<string, string> = {};
        let verifyImage: Buffer | undefined;
        const bb = busboy({ headers: req.headers });
        bb.on('field', (name, value) => { fields[name] = value; });
        bb.on('file', (name, stream) => {
          const parts: Buffer[] = [];
          stream.on('data', (c: Buffer) => parts.push(c));
          stream.on('end', () => { if (name === 'verifyImage') verifyImage = Buffer.concat(parts); });
        });
        bb.on('close', () => {
          if (!verifyImage) return reply(400, { error: { code: 'InvalidRequest', message: 'verifyImage missing' } });
          const id = `0000000${++next}-bda7-4b83-a211-e721c661f30e`;
          const session: StubSession = { verifyImage, mode: fields.livenessOperationMode, body: notStarted(id) };
          if (fields.deviceCorrelationId) session.deviceCorrelationId = fields.deviceCorrelationId;
          sessions.set(id, session);
          reply(200, notStarted(id));
        });
        bb.end(Buffer.concat(chunks));
        return;
      }
      const m = new RegExp(`^${SESSIONS_PATH}/([^/]+)$`).exec(url.pathname);
      const session = m?.[1] ? sessions.get(m[1]) : undefined;
      if (req.method === 'GET' && session) return reply(200, session.body);
      reply(404, { error: { code: 'SessionNotFound', message: 'Session not found.' } });
    });
  });
  return { server, sessions };
}

let services: LocalServices;
let h: Harness;
let stub: ReturnType<typeof faceStub>;
let endpoint: string;
const logged: string[] = [];
const logger: Logger = {
  info: (m, p) => logged.push(m + JSON.stringify(p ?? {})),
  warn: (m, p) => logged.push(m + JSON.stringify(p ?? {})),
  error: (m, p) => logged.push(m + JSON.stringify(p ?? {})),
};

before(async () => {
  services = await startLocalServices();
  h = await harness(services);
  stub = faceStub();
  await new Promise<void>((resolve) => stub.server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(stub.server.address() as AddressInfo).port}`;
});
after(async () => {
  await new Promise<void>((resolve) => stub?.server.close(() => resolve()));
  await services?.stop();
});

const sessionsPort = () => createAzureLivenessSessions(createAzureFaceClient({ endpoint, apiKey: KEY, allowInsecureConnection: true }));
const deps = (withPort = true): LivenessSessionDeps => ({
  verifications: h.verifications,
  blobs: h.blobs,
  normaliseImage: h.pipeline.normaliseImage,
  clock: h.clock,
  logger,
  ...(withPort ? { livenessSessions: sessionsPort() } : {}),
});
const pipeline = (): PipelineDeps => ({ ...h.pipeline, livenessSessions: sessionsPort() });

async function postPhoto(fields: Array<{ name: string; value: string }> = []): Promise<string> {
  const parts = [{ name: 'document', file: await jpeg(320, 240) }, { name: 'selfie', file: await png(320, 240) }, ...fields];
  return (await h.api.create(createInput(h.tenantId, await formRequest(parts)))).id;
}

const domainError = (code: string, status: number, check?: (e: DomainError) => void) => (e: unknown) => {
  assert.ok(e instanceof DomainError, String(e));
  assert.equal(e.code, code);
  assert.equal(e.status, status);
  check?.(e);
  return true;
};

describe('liveness-with-verify session', () => {
  it('should create a session with the normalised document face and record its id, never logging the token', async () => {
    const id = await postPhoto();
    const session = await startLivenessSession({ tenantId: h.tenantId, verificationId: id, deviceCorrelationId: 'device-123' }, deps());

    assert.match(session.sessionId, /bda7/);
    assert.equal(session.authToken, `${TOKEN_PREFIX}-${session.sessionId}`);
    const created = stub.sessions.get(session.sessionId);
    const record = await h.verifications.get(h.tenantId, id);
    const document = await h.pipeline.normaliseImage(await h.blobs.download(record!.media!.document.blobName));
    assert.ok(created?.verifyImage.equals(document), 'the verify image is the normalised document');
    assert.equal(created?.deviceCorrelationId, 'device-123');
    assert.equal(created?.mode, 'PassiveActive');
    assert.equal(record?.livenessSessionId, session.sessionId);
    assert.equal(record?.status, 'pending', 'the status is unchanged');
    assert.ok(!logged.some((l) => l.includes(session.authToken)), 'token never logged');
    assert.ok(logged.some((l) => l.includes(session.sessionId)));
  });

  it('should replace the recorded session when the app asks again', async () => {
    const id = await postPhoto();
    const first = await startLivenessSession({ tenantId: h.tenantId, verificationId: id }, deps());
    const second = await startLivenessSession({ tenantId: h.tenantId, verificationId: id }, deps());
    assert.notEqual(first.sessionId, second.sessionId);
    assert.equal(stub.sessions.get(second.sessionId)?.deviceCorrelationId, undefined);
    assert.equal((await h.verifications.get(h.tenantId, id))?.livenessSessionId, second.sessionId);
  });

  it('should answer 404 for an unknown id and for another tenant\'s verification', async () => {
    const id = await postPhoto();
    await assert.rejects(startLivenessSession({ tenantId: h.tenantId, verificationId: 'vnope' }, deps()), domainError('not-found', 404));
    await assert.rejects(startLivenessSession({ tenantId: `${h.tenantId}x`, verificationId: id }, deps()), domainError('not-found', 404));
  });

  it('should answer 409 illegal-state with the current status for a decided verification', async () => {
    const id = await postPhoto();
    assert.equal((await onFacesMessage({ tenantId: h.tenantId, verificationId: id }, h.pipeline)).action, 'decided');
    const before = stub.sessions.size;
    await assert.rejects(
      startLivenessSession({ tenantId: h.tenantId, verificationId: id }, deps()),
      domainError('illegal-state', 409, (e) => assert.equal(e.details.currentStatus, 'approved')),
    );
    assert.equal(stub.sessions.size, before, 'no session created');
  });

  it('should answer 409 liveness-session-unavailable with the local face provider', async () => {
    const id = await postPhoto();
    await assert.rejects(
      startLivenessSession({ tenantId: h.tenantId, verificationId: id }, deps(false)),
      domainError('liveness-session-unavailable', 409, (e) => assert.match(e.message, /FACE_PROVIDER=azure/)),
    );
  });

  it('should report a session as pending until the app finished it, then as azure-liveness-session findings', async () => {
    const port = sessionsPort();
    const { sessionId } = await port.create(await jpeg(64, 64), {});
    assert.equal(await port.result(sessionId), 'pending');
    stub.sessions.get(sessionId)!.body = finished(sessionId, 'spoofface', 0.2);
    assert.deepEqual(await port.result(sessionId), {
      score: 0, method: 'azure-liveness-session', signals: { attempts: 1, matchConfidence: 0.2 },
    });
  });

  it('should decide on the session\'s liveness, waiting by scheduled messages (no redelivery) while it is pending', async () => {
    const id = await postPhoto();
    const ref = { tenantId: h.tenantId, verificationId: id };
    const { sessionId } = await startLivenessSession(ref, deps());
    const evidenceBefore = h.evidenceCalls.length;

    assert.deepEqual(await onFacesMessage(ref, pipeline()), { action: 'waiting-for-liveness-session', round: 1 });
    assert.equal((await h.verifications.get(h.tenantId, id))?.status, 'processing', 'left for the next look');
    assert.equal(h.evidenceCalls.length, evidenceBefore, 'no face work while pending');
    const waits = h.sender.on('faces').filter((m) => m.messageId === `${id}:faces:liveness-wait:1`);
    assert.equal(waits.length, 1, 'one scheduled message with a deterministic id');
    assert.ok(waits[0]!.scheduledEnqueueTimeUtc, 'scheduled, not immediate');
    assert.deepEqual(waits[0]!.body, { ...ref, livenessWait: 1 });

    stub.sessions.get(sessionId)!.body = finished(sessionId, 'realface', 0.83);
    assert.deepEqual(await onFacesMessage({ ...ref, livenessWait: 1 }, pipeline()), { action: 'decided', status: 'approved' });
    const record = await h.verifications.get(h.tenantId, id);
    assert.deepEqual(record?.decision?.liveness, { score: 1, passed: true, method: 'azure-liveness-session' });
    assert.equal(record?.attempts.faces, 2);
  });

  it('should wait for an announced session the app has not started yet, instead of deciding without it', async () => {
    const id = await postPhoto([{ name: 'livenessSession', value: 'true' }]);
    const ref = { tenantId: h.tenantId, verificationId: id };
    assert.equal((await h.verifications.get(h.tenantId, id))?.livenessSessionExpected, true);
    assert.deepEqual(await onFacesMessage(ref, pipeline()), { action: 'waiting-for-liveness-session', round: 1 });
    const { sessionId } = await startLivenessSession(ref, deps());
    stub.sessions.get(sessionId)!.body = finished(sessionId, 'realface', 0.9);
    assert.deepEqual(await onFacesMessage({ ...ref, livenessWait: 1 }, pipeline()), { action: 'decided', status: 'approved' });
  });

  it('should stop waiting when the session wait expires and send the verification to review', async () => {
    const id = await postPhoto([{ name: 'livenessSession', value: 'true' }]);
    const ref = { tenantId: h.tenantId, verificationId: id };
    const settings = { ...h.pipeline.settings, livenessSessionWaitSeconds: 20, livenessSessionPollSeconds: 15 };
    assert.deepEqual(await onFacesMessage({ ...ref, livenessWait: 1 }, { ...pipeline(), settings }), { action: 'waiting-for-liveness-session', round: 2 });
    assert.deepEqual(await onFacesMessage({ ...ref, livenessWait: 2 }, { ...pipeline(), settings }), { action: 'decided', status: 'review' });
    const decision = (await h.verifications.get(h.tenantId, id))?.decision;
    assert.deepEqual(decision?.liveness, { score: 0, passed: false, method: 'azure-liveness-session' });
  });

  it('should fail liveness when the session found a spoof, even though photo liveness passed', async () => {
    const id = await postPhoto();
    const ref = { tenantId: h.tenantId, verificationId: id };
    const { sessionId } = await startLivenessSession(ref, deps());
    stub.sessions.get(sessionId)!.body = finished(sessionId, 'spoofface', 0.9);
    assert.deepEqual(await onFacesMessage(ref, pipeline()), { action: 'decided', status: 'review' });
    const decision = (await h.verifications.get(h.tenantId, id))?.decision;
    assert.deepEqual(decision?.liveness, { score: 0, passed: false, method: 'azure-liveness-session' });
    assert.ok(decision?.reasons.includes('LIVENESS_FAILED'));
  });

  it('should keep photo liveness when no session port is configured (local provider)', async () => {
    const id = await postPhoto();
    const ref = { tenantId: h.tenantId, verificationId: id };
    await startLivenessSession(ref, deps());
    assert.deepEqual(await onFacesMessage(ref, h.pipeline), { action: 'decided', status: 'approved' });
    assert.equal((await h.verifications.get(h.tenantId, id))?.decision?.liveness.method, 'passive-antispoof');
  });
});
