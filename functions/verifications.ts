import { app } from '@azure/functions';
import { apiRoute } from '../shared/http/api-route';
import * as df from 'durable-functions';
import { z } from 'zod';
import { FUNCTIONS } from '../shared/names';
import { accepted, httpHandler, json, ok } from '../shared/http';
import { verificationLocation } from '../shared/kyc/create-verification';
import { requestVerificationErasure } from '../shared/privacy/request-erasure';
import { auditCall } from '../shared/wiring/audit';
import { authenticate, rateLimiter } from '../shared/wiring/auth';
import { recordKycStage } from '../shared/platform/metrics';
import { appClock, kycStores, verificationApi } from '../shared/wiring/kyc';
import { isSessionPrincipal, sessionIdOf } from '../shared/kyc/verification-session';
import { authenticateSessionOrApiKey, verificationSessions } from '../shared/wiring/verification-sessions';
import { notFound } from '../shared/errors';

// Document 15 MB + selfie video 50 MB + multipart overhead; each part has its own limit in shared/kyc/upload.ts.
const MAX_UPLOAD_BYTES = 70 * 1024 * 1024;
export const idParams = z.object({ id: z.string().min(1).max(64) });

app.http(FUNCTIONS.createVerification, {
  route: apiRoute('v1/verifications'),
  methods: ['POST'],
  authLevel: 'anonymous',
  handler: httpHandler(
    { auth: authenticateSessionOrApiKey, accept: ['apiKey'], maxBodyBytes: MAX_UPLOAD_BYTES, rateLimit: { limiter: rateLimiter } },
    async (call) => {
      const { request, principal, log } = call;
      // A capture-page session creates one verification: its id is the Idempotency-Key, so a retry replays it.
      const session = isSessionPrincipal(principal) ? await (await verificationSessions()).byId(principal.tenantId, sessionIdOf(principal)) : undefined;
      const api = await verificationApi(log);
      const length = request.headers.get('content-length');
      const started = performance.now();
      const result = await api.create({
        tenantId: principal.tenantId,
        contentType: request.headers.get('content-type'),
        contentLength: length === null ? null : Number(length),
        body: request.body,
        idempotencyKey: session ? `session:${session.id}` : request.headers.get('idempotency-key'),
      });
      if (!result.replayed) recordKycStage('upload', performance.now() - started);
      if (session) await (await verificationSessions()).bindVerification(session, result.id);
      if (!result.replayed) await auditCall(call, 'verification.create', { targetType: 'verification', targetId: result.id });
      return accepted({ id: result.id, status: result.status }, result.location);
    },
  ),
});

// GET: the view, or 410 with only { id, status: "erased", erasedAt } once erased.
app.http(FUNCTIONS.getVerification, {
  route: apiRoute('v1/verifications/{id}'),
  methods: ['GET'],
  authLevel: 'anonymous',
  handler: httpHandler({ auth: authenticateSessionOrApiKey, accept: ['apiKey'], rateLimit: { limiter: rateLimiter } }, async (call) => {
    const { id } = call.params(idParams);
    // A session polls only the verification it created.
    if (isSessionPrincipal(call.principal)) {
      const session = await (await verificationSessions()).byId(call.principal.tenantId, sessionIdOf(call.principal));
      if (session.verificationId !== id) throw notFound('Verification');
    }
    const api = await verificationApi(call.log);
    const found = await api.find(call.principal.tenantId, id);
    if (found.kind === 'erased') return json(410, found.view);
    // The audit records reads of an outcome; a client polling a pending one costs no audit write per poll.
    if (found.view.decidedAt) await auditCall(call, 'verification.read', { targetType: 'verification', targetId: id });
    return ok(found.view);
  }),
});

// DELETE: 202 and the erasure runs in the verification's retention orchestration; repeating it is
// harmless (202 again, with status "erased" and erasedAt once done).
app.http(FUNCTIONS.deleteVerification, {
  route: apiRoute('v1/verifications/{id}'),
  methods: ['DELETE'],
  authLevel: 'anonymous',
  extraInputs: [df.input.durableClient()],
  handler: httpHandler({ auth: authenticate, accept: ['apiKey'], rateLimit: { limiter: rateLimiter } }, async (call) => {
    const { id } = call.params(idParams);
    const { verifications } = await kycStores();
    const view = await requestVerificationErasure(
      { verifications, clock: appClock, client: df.getClient(call.context), orchestration: FUNCTIONS.verificationRetention },
      call.principal.tenantId,
      id,
    );
    await auditCall(call, 'verification.erase', { targetType: 'verification', targetId: id });
    return accepted(view, verificationLocation(id));
  }),
});
