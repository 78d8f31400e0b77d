import { z } from 'zod';
import { FUNCTIONS } from '../../shared/names';
import { verificationViewSchema } from '../../shared/kyc/verification';
import { uploadFieldsSchema } from '../../shared/kyc/upload';
import { documentRoute } from '../../shared/openapi/route-doc';
import { sessionBody } from '../verification-liveness';
import { idParams } from '../verifications';
import { filePart, idempotencyKey, view } from './common';

const tags = ['Verifications'];
const verificationView = verificationViewSchema.meta({
  id: 'Verification',
  example: {
    id: '0b8f8a7e-3c0e-4d7e-9a55-0e2f1b3c4d5e', status: 'approved', createdAt: '2026-03-01T12:00:00.000Z', decidedAt: '2026-03-01T12:00:09.000Z',
    expiresAt: '2026-05-30T12:00:00.000Z',
    decision: { outcome: 'approved', reasons: [], faceMatch: { score: 0.85, threshold: 0.55, provider: 'local' }, liveness: { score: 0.72, passed: true, method: 'passive-antispoof' } },
  },
});
const accepted = view({ id: z.string(), status: z.string() }, 'VerificationAccepted', { id: '0b8f8a7e-3c0e-4d7e-9a55-0e2f1b3c4d5e', status: 'pending' });

documentRoute({
  function: FUNCTIONS.createVerification, method: 'POST', path: '/api/v1/verifications', tags, auth: ['apiKey', 'sessionToken'], rateLimited: true,
  summary: 'Start a verification: document + selfie photo or selfie video',
  headers: idempotencyKey,
  body: {
    contentType: 'multipart/form-data',
    schema: uploadFieldsSchema.extend({
      document: filePart('Identity document photo: JPEG, PNG, WebP or HEIC, <= 15 MB'),
      selfie: filePart('Selfie photo (or send selfieVideo)').optional(),
      selfieVideo: filePart('Selfie video: MP4, WebM, QuickTime, <= 30 s, <= 50 MB').optional(),
    }),
  },
  responses: { 202: { description: 'Accepted; poll the Location', schema: accepted } },
  problems: { 400: ['bad-request', 'validation-failed'], 409: ['idempotency-key-conflict', 'session-used'], 413: ['payload-too-large'], 415: ['unsupported-media-type'], 503: ['backlog-full'] },
});
documentRoute({
  function: FUNCTIONS.getVerification, method: 'GET', path: '/api/v1/verifications/{id}', tags, auth: ['apiKey', 'sessionToken'], params: idParams, rateLimited: true,
  summary: 'Status and decision of a verification',
  responses: {
    200: { description: 'The verification', schema: verificationView },
    410: { description: 'Erased', schema: view({ id: z.string(), status: z.literal('erased'), erasedAt: z.string() }, 'ErasedVerification') },
  },
  problems: { 404: ['not-found'] },
});
documentRoute({
  function: FUNCTIONS.deleteVerification, method: 'DELETE', path: '/api/v1/verifications/{id}', tags, auth: ['apiKey'], params: idParams, rateLimited: true,
  summary: 'Erase a verification now (media and record)',
  responses: { 202: { description: 'Erasing (or already erased)', schema: view({ id: z.string(), status: z.enum(['erasing', 'erased']) }, 'ErasureAccepted') } },
  problems: { 404: ['not-found'] },
});
documentRoute({
  function: FUNCTIONS.startLivenessSession, method: 'POST', path: '/api/v1/verifications/{id}/liveness-session', tags, auth: ['apiKey'], params: idParams,
  summary: 'Azure liveness-with-verify session for mobile apps (FACE_PROVIDER=azure)',
  body: { schema: sessionBody, required: false },
  responses: { 201: { description: 'Session for the mobile SDK', schema: view({ sessionId: z.string(), authToken: z.string() }, 'LivenessSession') } },
  problems: { 404: ['not-found'], 409: ['liveness-unavailable'] },
});
