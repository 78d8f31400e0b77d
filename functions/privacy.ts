/** Data-subject rights over HTTP: subject erasure requests and their receipts, and data export. */
import { randomUUID } from 'node:crypto';
import { app } from '@azure/functions';
import { apiRoute } from '../shared/http/api-route';
import * as df from 'durable-functions';
import { z } from 'zod';
import { notFound } from '../shared/errors';
import { accepted, httpHandler, ok } from '../shared/http';
import { subjectRefSchema } from '../shared/kyc/verification';
import { FUNCTIONS } from '../shared/names';
import { toErasureView } from '../shared/privacy/erasure-store';
import { exportSubjectData } from '../shared/privacy/export-subject';
import { privacySettings, subjectErasureDeps, subjectExportDeps } from '../shared/wiring/privacy';
import { createSubjectErasure, subjectErasureInstanceId } from '../shared/privacy/subject-erasure';
import { auditCall } from '../shared/wiring/audit';
import { authenticate, rateLimiter } from '../shared/wiring/auth';

export const erasureBody = z.strictObject({ subjectRef: subjectRefSchema });
export const erasureIdParams = z.object({ id: z.uuid() });
export const exportQuery = z.object({ subjectRef: subjectRefSchema });
const erasureLocation = (id: string) => `/api/v1/privacy/erasures/${id}`;

app.http(FUNCTIONS.createErasure, {
  route: apiRoute('v1/privacy/erasures'),
  methods: ['POST'],
  authLevel: 'anonymous',
  extraInputs: [df.input.durableClient()],
  handler: httpHandler({ auth: authenticate, accept: ['apiKey'], rateLimit: { limiter: rateLimiter } }, async (call) => {
    const { subjectRef } = await call.body(erasureBody);
    const ref = { tenantId: call.principal.tenantId, erasureId: randomUUID() };
    const deps = await subjectErasureDeps();
    const doc = await createSubjectErasure(deps, { ...ref, subjectRef });
    try {
      await df.getClient(call.context).startNew(FUNCTIONS.subjectErasure, { instanceId: subjectErasureInstanceId(ref), input: ref });
    } catch (error) {
      // Nothing will run it: drop the request (and the subjectRef it holds); the client retries the POST.
      await deps.erasures.delete(ref.tenantId, ref.erasureId);
      throw error;
    }
    await auditCall(call, 'subject.erase', { targetType: 'erasure', targetId: ref.erasureId });
    return accepted({ id: doc.id, status: doc.status }, erasureLocation(doc.id));
  }),
});

app.http(FUNCTIONS.getErasure, {
  route: apiRoute('v1/privacy/erasures/{id}'),
  methods: ['GET'],
  authLevel: 'anonymous',
  handler: httpHandler({ auth: authenticate, accept: ['apiKey'], rateLimit: { limiter: rateLimiter } }, async (call) => {
    const { id } = call.params(erasureIdParams);
    const doc = await (await subjectErasureDeps()).erasures.get(call.principal.tenantId, id);
    if (!doc) throw notFound('Erasure');
    return ok(toErasureView(doc));
  }),
});

// GET `?subjectRef=` as the API promises; POST `{ subjectRef }` keeps the ref out of URLs, which
// front ends and request telemetry record.
app.http(FUNCTIONS.exportSubjectData, {
  route: apiRoute('v1/privacy/exports'),
  methods: ['GET', 'POST'],
  authLevel: 'anonymous',
  handler: httpHandler({ auth: authenticate, accept: ['apiKey'], rateLimit: { limiter: rateLimiter } }, async (call) => {
    const { subjectRef } = call.request.method === 'POST' ? await call.body(erasureBody) : call.query(exportQuery);
    const { exportLinkMinutes } = await privacySettings();
    const data = await exportSubjectData(await subjectExportDeps(), {
      tenantId: call.principal.tenantId,
      subjectRef,
      linkMinutes: exportLinkMinutes,
    });
    await auditCall(call, 'subject.export', { targetType: 'subject', targetId: subjectRef });
    // The links work without credentials until they expire: keep them out of caches.
    return ok(data, { 'cache-control': 'no-store' });
  }),
});
