import { app } from '@azure/functions';
import { z } from 'zod';
import { FUNCTIONS } from '../shared/names';
import { accepted, httpHandler, ok } from '../shared/http';
import { authenticate, rateLimiter } from '../shared/wiring/auth';
import { verificationApi } from '../shared/wiring/kyc';

// Document 15 MB + selfie video 50 MB + multipart overhead; each part has its own limit in shared/kyc/upload.ts.
const MAX_UPLOAD_BYTES = 70 * 1024 * 1024;
const idParams = z.object({ id: z.string().min(1).max(64) });

app.http(FUNCTIONS.createVerification, {
  route: 'v1/verifications',
  methods: ['POST'],
  authLevel: 'anonymous',
  handler: httpHandler(
    { auth: authenticate, accept: ['apiKey'], maxBodyBytes: MAX_UPLOAD_BYTES, rateLimit: { limiter: rateLimiter } },
    async ({ request, principal, log }) => {
      const api = await verificationApi(log);
      const length = request.headers.get('content-length');
      const result = await api.create({
        tenantId: principal.tenantId,
        contentType: request.headers.get('content-type'),
        contentLength: length === null ? null : Number(length),
        body: request.body,
        idempotencyKey: request.headers.get('idempotency-key'),
      });
      return accepted({ id: result.id, status: result.status }, result.location);
    },
  ),
});

app.http(FUNCTIONS.getVerification, {
  route: 'v1/verifications/{id}',
  methods: ['GET'],
  authLevel: 'anonymous',
  handler: httpHandler({ auth: authenticate, accept: ['apiKey'], rateLimit: { limiter: rateLimiter } }, async (call) => {
    const { id } = call.params(idParams);
    const api = await verificationApi(call.log);
    return ok(await api.get(call.principal.tenantId, id));
  }),
});
