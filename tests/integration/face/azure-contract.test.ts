/**
 * The Azure adapter against a recorded-contract stub: a loopback HTTP server that checks
 * the method, path, query, headers and body the real `@azure-rest/ai-vision-face` SDK
 * sends, and answers with response bodies shaped like the Face v1.2 API reference examples.
 * Azure Face has no local emulator; this stub is the only stand-in in the face tests.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import busboy from 'busboy';
import sharp from 'sharp';
import { createAzureFaceClient } from '../../../shared/face/azure/face-client';
import { createAzureFaceProvider } from '../../../shared/face/azure/azure-provider';
import {
  createLivenessSession, deleteLivenessSession, getLivenessSessionResult, livenessFindingsFromSession,
} from '../../../shared/face/azure/liveness-session';
import { DomainError } from '../../../shared/errors';

const KEY = 'test-key-not-a-secret';
const FACE_ID_1 = 'c5c24a82-6845-4031-9d5d-978df9175426';
const FACE_ID_2 = '015839fb-fbd9-4f79-ace9-7675fc2f1dd9';
const SESSION_ID = 'b12e033e-bda7-4b83-a211-e721c661f30e';

interface Recorded { method: string; path: string; query: URLSearchParams; headers: http.IncomingHttpHeaders; body: Buffer }
type Route = (req: Recorded) => { status: number; body: unknown };

/** Response of POST /detect (Face v1.2 reference example, trimmed to the fields we request). */
const detectResponse = [
  {
    faceId: FACE_ID_1,
    recognitionModel: 'recognition_04',
    faceRectangle: { width: 78, height: 78, left: 394, top: 54 },
    faceAttributes: { headPose: { roll: -2.1, yaw: 3.2, pitch: 0 }, mask: { type: 'noMask', noseAndMouthCovered: false }, qualityForRecognition: 'high' },
  },
  {
    faceId: FACE_ID_2,
    recognitionModel: 'recognition_04',
    faceRectangle: { width: 120, height: 130, left: 100, top: 40 },
    faceAttributes: { headPose: { roll: 0, yaw: -5, pitch: 1 }, mask: { type: 'noMask', noseAndMouthCovered: false }, qualityForRecognition: 'medium' },
  },
];

/** Response of GET /detectLivenessWithVerify-sessions/{id} (reference example shape). */
const sessionResult = {
  sessionId: SESSION_ID,
  authToken: 'eyJhbGciOiJFUzI1NiIsIm',
  status: 'Succeeded',
  modelVersion: '2024-11-15',
  results: {
    verifyReferences: [{ referenceType: 'image', faceRectangle: { top: 98, left: 131, width: 233, height: 300 }, qualityForRecognition: 'high' }],
    attempts: [
      {
        attemptId: 1, attemptStatus: 'Failed',
        error: { code: 'FaceWithMaskDetected', message: 'Mask detected on face image.', targets: { color: { faceRectangle: { top: 669, left: 203, width: 646, height: 724 } } } },
      },
      {
        attemptId: 2, attemptStatus: 'Succeeded',
        result: {
          livenessDecision: 'realface',
          targets: { color: { faceRectangle: { top: 669, left: 203, width: 646, height: 724 } } },
          digest: 'B0A803BB7B26F3C8F29CD36030F8E63ED3FAF955FEEF8E01C88AB8FD89CCF761',
          sessionImageId: 'Ae3PVWlXAmVAnXgkAFt1QSjGUWONKzWiSr2iPh9p9G4I',
          verifyResult: { matchConfidence: 0.83, isIdentical: true },
          verifyImageHash: '43B7D8E8769533C3290DBD37A84D821B2C28CB4381DF9C6784DBC4AAF7E45018',
        },
      },
    ],
  },
};

describe('Azure face adapter (recorded-contract stub)', () => {
  let server: http.Server;
  let endpoint: string;
  let route: Route = () => ({ status: 500, body: {} });
  const seen: Recorded[] = [];

  before(async () => {
    server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const url = new URL(req.url ?? '/', 'http://stub');
        const rec: Recorded = { method: req.method ?? '', path: url.pathname, query: url.searchParams, headers: req.headers, body: Buffer.concat(chunks) };
        seen.push(rec);
        let reply: { status: number; body: unknown };
        try { reply = route(rec); } catch (e) { reply = { status: 599, body: { error: { code: 'StubAssertion', message: String(e) } } }; }
        if (reply.body === undefined) { res.writeHead(reply.status).end(); return; }
        res.writeHead(reply.status, { 'content-type': 'application/json' }).end(JSON.stringify(reply.body));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const client = () => createAzureFaceClient({ endpoint, apiKey: KEY, allowInsecureConnection: true });

  it('should detect with detection_03, recognition_04, faceIds and quality, sending the image bytes', async () => {
    const image = await sharp({ create: { width: 640, height: 480, channels: 3, background: '#808080' } }).jpeg().toBuffer();
    route = (r) => {
      assert.equal(r.method, 'POST');
      assert.equal(r.path, '/face/v1.2/detect');
      assert.equal(r.query.get('detectionModel'), 'detection_03');
      assert.equal(r.query.get('recognitionModel'), 'recognition_04');
      assert.equal(r.query.get('returnFaceId'), 'true');
      assert.equal(r.query.get('returnFaceLandmarks'), 'false');
      assert.equal(r.query.get('returnFaceAttributes'), 'qualityForRecognition,headPose,mask');
      assert.equal(r.query.get('faceIdTimeToLive'), '600');
      assert.equal(r.headers['content-type'], 'application/octet-stream');
      assert.equal(r.headers['ocp-apim-subscription-key'], KEY);
      assert.ok(r.body.equals(image), 'body is the raw image');
      return { status: 200, body: detectResponse };
    };
    const analysis = await createAzureFaceProvider(client()).analyseImage(image);
    assert.equal(analysis.width, 640);
    assert.equal(analysis.height, 480);
    assert.equal(analysis.faces.length, 2);
    const [largest, smaller] = analysis.faces;
    assert.deepEqual(largest?.box, { x: 100, y: 40, width: 120, height: 130 });
    assert.equal(largest?.quality, 'medium');
    assert.deepEqual(largest?.faceRef, { provider: 'azure', faceId: FACE_ID_2 });
    assert.equal(smaller?.quality, 'high');
    assert.equal(smaller?.qualitySignals.yaw, 3.2);
  });

  it('should give zero faces when Azure finds none', async () => {
    route = () => ({ status: 200, body: [] });
    const image = await sharp({ create: { width: 64, height: 64, channels: 3, background: '#000' } }).png().toBuffer();
    assert.deepEqual((await createAzureFaceProvider(client()).analyseImage(image)).faces, []);
  });

  it('should verify two faceIds and return the confidence as similarity', async () => {
    route = (r) => {
      assert.equal(r.method, 'POST');
      assert.equal(r.path, '/face/v1.2/verify');
      assert.match(String(r.headers['content-type']), /^application\/json/);
      assert.deepEqual(JSON.parse(r.body.toString()), { faceId1: FACE_ID_1, faceId2: FACE_ID_2 });
      return { status: 200, body: { isIdentical: true, confidence: 0.9 } };
    };
    const similarity = await createAzureFaceProvider(client()).similarity(
      { provider: 'azure', faceId: FACE_ID_1 }, { provider: 'azure', faceId: FACE_ID_2 });
    assert.equal(similarity, 0.9);
  });

  it('should map an Azure error to an internal face-provider-failed DomainError', async () => {
    route = () => ({ status: 400, body: { error: { code: 'InvalidImage', message: 'Decoding error, image format unsupported.' } } });
    const image = await sharp({ create: { width: 64, height: 64, channels: 3, background: '#000' } }).png().toBuffer();
    await assert.rejects(createAzureFaceProvider(client()).analyseImage(image), (e: unknown) => {
      assert.ok(e instanceof DomainError);
      assert.equal(e.code, 'face-provider-failed');
      assert.equal(e.expose, false);
      assert.equal(e.details.azureCode, 'InvalidImage');
      return true;
    });
  });

  it('should create a liveness-with-verify session as multipart with the verify image', async () => {
    const verifyImage = await sharp({ create: { width: 32, height: 32, channels: 3, background: '#a0a0a0' } }).jpeg().toBuffer();
    let parts: Record<string, string> = {};
    let file: { name: string; filename: string; mimeType: string; data: Buffer } | undefined;
    route = (r) => {
      assert.equal(r.method, 'POST');
      assert.equal(r.path, '/face/v1.2/detectLivenessWithVerify-sessions');
      assert.match(String(r.headers['content-type']), /^multipart\/form-data; boundary=/);
      return { status: 200, body: { sessionId: SESSION_ID, authToken: 'eyJhbGciOiJFUzI1NiIsIm', status: 'NotStarted', modelVersion: '2024-11-15', results: { attempts: [], verifyReferences: [] } } };
    };
    const session = await createLivenessSession(client(), { verifyImage, deviceCorrelationId: 'device-123', livenessOperationMode: 'PassiveActive' });
    assert.deepEqual(session, { sessionId: SESSION_ID, authToken: 'eyJhbGciOiJFUzI1NiIsIm' });
    const last = seen[seen.length - 1]!;
    ({ parts, file } = await parseMultipart(last));
    assert.equal(parts.livenessOperationMode, 'PassiveActive');
    assert.equal(parts.deviceCorrelationId, 'device-123');
    assert.equal(file?.name, 'verifyImage');
    assert.ok(file?.filename, 'the verify image part carries a filename (required by the API)');
    assert.ok(file?.data.equals(verifyImage));
  });

  it('should read the latest finished attempt of a session and turn it into liveness findings', async () => {
    route = (r) => {
      assert.equal(r.method, 'GET');
      assert.equal(r.path, `/face/v1.2/detectLivenessWithVerify-sessions/${SESSION_ID}`);
      return { status: 200, body: sessionResult };
    };
    const result = await getLivenessSessionResult(client(), SESSION_ID);
    assert.deepEqual(result, { status: 'Succeeded', livenessDecision: 'realface', matchConfidence: 0.83, isIdentical: true, attempts: 2 });
    assert.deepEqual(livenessFindingsFromSession(result), { score: 1, method: 'azure-liveness-session', signals: { attempts: 2, matchConfidence: 0.83 } });
  });

  it('should delete a session', async () => {
    route = (r) => {
      assert.equal(r.method, 'DELETE');
      assert.equal(r.path, `/face/v1.2/detectLivenessWithVerify-sessions/${SESSION_ID}`);
      return { status: 204, body: undefined };
    };
    await deleteLivenessSession(client(), SESSION_ID);
    route = () => ({ status: 404, body: { error: { code: 'SessionNotFound', message: 'Session not found.' } } });
    await deleteLivenessSession(client(), SESSION_ID);
  });
});

function parseMultipart(rec: Recorded): Promise<{ parts: Record<string, string>; file?: { name: string; filename: string; mimeType: string; data: Buffer } }> {
  return new Promise((resolve, reject) => {
    const parts: Record<string, string> = {};
    let file: { name: string; filename: string; mimeType: string; data: Buffer } | undefined;
    const bb = busboy({ headers: rec.headers });
    bb.on('field', (name, value) => { parts[name] = value; });
    bb.on('file', (name, stream, info) => {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => { file = { name, filename: info.filename ?? '', mimeType: info.mimeType, data: Buffer.concat(chunks) }; });
    });
    bb.on('close', () => resolve({ parts, file }));
    bb.on('error', reject);
    bb.end(rec.body);
  });
}
