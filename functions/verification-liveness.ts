import { app } from '@azure/functions';
import { apiRoute } from '../shared/http/api-route';
import { z } from 'zod';
import { FUNCTIONS } from '../shared/names';
import { created, httpHandler } from '../shared/http';
import { startLivenessSession } from '../shared/kyc/liveness-session';
import { authenticate, rateLimiter } from '../shared/wiring/auth';
import { livenessSessionDeps } from '../shared/wiring/kyc';

const idParams = z.object({ id: z.string().min(1).max(64) });
/** The body is optional; when sent it is JSON. */
export const sessionBody = z.strictObject({ deviceCorrelationId: z.string().min(1).max(128).optional() });

/** Azure liveness-with-verify for mobile apps: 201 `{ sessionId, authToken }` for the Azure Vision SDK on the phone. */
app.http(FUNCTIONS.startLivenessSession, {
  route: apiRoute('v1/verifications/{id}/liveness-session'),
  methods: ['POST'],
  authLevel: 'anonymous',
  handler: httpHandler(
    { auth: authenticate, accept: ['apiKey'], maxBodyBytes: 4096, rateLimit: { limiter: rateLimiter } },
    async (call) => {
      const { id } = call.params(idParams);
      const body = (await call.bytes()).length === 0 ? {} : await call.body(sessionBody);
      const session = await startLivenessSession(
        { tenantId: call.principal.tenantId, verificationId: id, ...body },
        await livenessSessionDeps(call.log),
      );
      return created(`/api/v1/verifications/${encodeURIComponent(id)}`, session);
    },
  ),
});
