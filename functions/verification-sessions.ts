import { app } from '@azure/functions';
import { apiRoute } from '../shared/http/api-route';
import { z } from 'zod';
import { created, httpHandler, ok } from '../shared/http';
import { findUp, staticFiles } from '../shared/http/static-files';
import {
  createdSessionSchema,
  createSessionBodySchema,
  currentSessionSchema,
  isSessionPrincipal,
  sessionIdOf,
} from '../shared/kyc/verification-session';
import { FUNCTIONS } from '../shared/names';
import { documentRoute } from '../shared/openapi/route-doc';
import { authenticate, rateLimiter } from '../shared/wiring/auth';
import { authenticateSessionOrApiKey, verificationSessions } from '../shared/wiring/verification-sessions';
import { forbidden } from '../shared/errors';

// The tenant's backend (API key) asks for a short-lived token and hands the page `/app/?session=<token>`.
app.http(FUNCTIONS.createVerificationSession, {
  route: apiRoute('v1/verifications/sessions'),
  methods: ['POST'],
  authLevel: 'anonymous',
  handler: httpHandler({ auth: authenticate, accept: ['apiKey'], rateLimit: { limiter: rateLimiter } }, async (call) => {
    const raw = (await call.bytes()).length === 0 ? createSessionBodySchema.parse({}) : await call.body(createSessionBodySchema);
    const session = await (await verificationSessions()).create(call.principal.tenantId, raw.expiresInMinutes);
    return created('/api/v1/verifications/sessions/current', session);
  }),
});

// The page, with its token: whether to fetch a challenge before recording, and the verification it created.
app.http(FUNCTIONS.getCurrentVerificationSession, {
  route: apiRoute('v1/verifications/sessions/current'),
  methods: ['GET'],
  authLevel: 'anonymous',
  handler: httpHandler({ auth: authenticateSessionOrApiKey, accept: ['apiKey'] }, async (call) => {
    if (!isSessionPrincipal(call.principal)) throw forbidden('Send the session token in X-Session-Token');
    const sessions = await verificationSessions();
    const [{ expiresAt, verificationId }, challengeRequired] = await Promise.all([
      sessions.byId(call.principal.tenantId, sessionIdOf(call.principal)),
      sessions.challengeRequired(call.principal.tenantId),
    ]);
    return ok({ expiresAt, challengeRequired, verificationId }, { 'cache-control': 'no-store' });
  }),
});

// The reference capture page: plain files, no build step. Camera for this origin only; no inline script or style.
const PAGE_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' blob: data:; media-src 'self' blob: mediastream:; " +
  "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'; object-src 'none'";
const pageFiles = staticFiles(
  {
    'index.html': { file: findUp('web/app/index.html'), contentType: 'text/html; charset=utf-8' },
    'app.js': { file: findUp('web/app/app.js'), contentType: 'text/javascript; charset=utf-8' },
    'app.css': { file: findUp('web/app/app.css'), contentType: 'text/css; charset=utf-8' },
  },
  { 'content-security-policy': PAGE_CSP, 'permissions-policy': 'camera=(self), microphone=(), geolocation=()' },
);
const pageParams = z.object({ path: z.string().optional() });

// At `/app/` exactly (host.json routePrefix is "", see shared/http/api-route.ts). `/app` redirects to `/app/`
// with its query (the session token) so the page's relative URLs and the link both work.
app.http(FUNCTIONS.capturePage, {
  route: 'app/{*path}',
  methods: ['GET'],
  authLevel: 'anonymous',
  handler: httpHandler({ auth: 'anonymous' }, async (call) => {
    const url = new URL(call.request.url);
    if (url.pathname === '/app') return { status: 308, headers: { location: `/app/${url.search}`, 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' } };
    return pageFiles(call.params(pageParams).path || 'index.html');
  }),
});

const tags = ['Verifications'];
documentRoute({
  function: FUNCTIONS.createVerificationSession, method: 'POST', path: '/api/v1/verifications/sessions', tags, auth: ['apiKey'], rateLimited: true,
  summary: 'A short-lived token for the capture page, good for one verification',
  description: 'Open the page as `/app/?session=<token>`. The token authenticates (header `X-Session-Token`) only: creating its one verification, polling it, and reading the session.',
  body: { schema: createSessionBodySchema, required: false, example: { expiresInMinutes: 30 } },
  responses: { 201: { description: 'The token (shown once; only its hash is stored)', schema: createdSessionSchema } },
});
documentRoute({
  function: FUNCTIONS.getCurrentVerificationSession, method: 'GET', path: '/api/v1/verifications/sessions/current', tags, auth: ['sessionToken'],
  summary: 'Whether the tenant requires a video challenge (then POST /api/v1/verifications/challenges with this token) and the verification',
  responses: { 200: { description: 'The session', schema: currentSessionSchema } },
});
documentRoute({
  function: FUNCTIONS.capturePage, method: 'GET', path: '/app/{path}', tags: ['Reference'], auth: ['none'], params: pageParams,
  summary: 'Reference capture page (open as /app/?session=<token>) and its script and style',
  description: '`path` empty: the page; `app.js`, `app.css`: its assets. `/app` redirects (308) to `/app/` with its query.',
  responses: { 200: { description: 'HTML, JavaScript or CSS', schema: z.string(), contentType: 'text/html' }, 308: { description: '`/app` → `/app/`' } },
  problems: { 404: ['not-found'] },
});
