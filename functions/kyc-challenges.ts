import { app } from '@azure/functions';
import { apiRoute } from '../shared/http/api-route';
import { z } from 'zod';
import { FUNCTIONS } from '../shared/names';
import { httpHandler, json, ok } from '../shared/http';
import { principalName } from '../shared/auth';
import { challengeStepSchema } from '../shared/kyc/challenges/challenge';
import { issueChallenge } from '../shared/kyc/challenges/issue-challenge';
import { kycPolicySchema } from '../shared/kyc/kyc-policy';
import { documentRoute } from '../shared/openapi/route-doc';
import { auditCall, requireRolesAudited } from '../shared/wiring/audit';
import { authenticate, rateLimiter } from '../shared/wiring/auth';
import { challengeDeps, kycPolicies } from '../shared/wiring/kyc';
import { authenticateSessionOrApiKey } from '../shared/wiring/verification-sessions';

// Active liveness: the server picks the steps; the client shows them while recording and sends the id
// with the video (`challengeId`). 201 without Location: a challenge is not a resource to read back.
// The capture page asks with its session token (X-Session-Token): the challenge is its session's tenant's.
app.http(FUNCTIONS.createLivenessChallenge, {
  route: apiRoute('v1/verifications/challenges'),
  methods: ['POST'],
  authLevel: 'anonymous',
  handler: httpHandler({ auth: authenticateSessionOrApiKey, accept: ['apiKey'], maxBodyBytes: 1024, rateLimit: { limiter: rateLimiter } }, async (call) =>
    json(201, await issueChallenge(call.principal.tenantId, await challengeDeps())),
  ),
});

const policyTarget = { targetType: 'settings', targetId: 'kyc-policy' } as const;

// The caller's own tenant's policy: any admin of that tenant (a merchant's admin, not only the platform's).
app.http(FUNCTIONS.getTenantKycPolicy, {
  route: apiRoute('v1/tenant/settings/kyc-policy'),
  methods: ['GET'],
  authLevel: 'anonymous',
  handler: httpHandler({ auth: authenticate, roles: ['admin'] }, async (call) =>
    ok(await (await kycPolicies()).get(call.principal.tenantId)),
  ),
});

app.http(FUNCTIONS.putTenantKycPolicy, {
  route: apiRoute('v1/tenant/settings/kyc-policy'),
  methods: ['PUT'],
  authLevel: 'anonymous',
  // Roles checked in the handler, so a refused change is in the audit trail too.
  handler: httpHandler({ auth: authenticate }, async (call) => {
    await requireRolesAudited(call, ['admin'], 'settings.update', policyTarget);
    // The whole policy (fields left out take their defaults); the store validates it strictly.
    const body = await call.body(z.unknown());
    const value = await (await kycPolicies()).put(call.principal.tenantId, body, principalName(call.principal));
    await auditCall(call, 'settings.update', policyTarget);
    return ok(value);
  }),
});

const challengeView = z
  .object({ id: z.string(), expiresAt: z.string(), steps: z.array(challengeStepSchema), instructions: z.string() })
  .meta({
    id: 'LivenessChallenge',
    example: {
      id: '6c1f2e0a-8b7d-4a5e-9f3c-2d1b0a9e8f7c', expiresAt: '2026-03-01T12:02:00.000Z', steps: ['turn-left', 'turn-right'],
      instructions: 'Look at the camera. First turn your head to your left, then back to the camera; finally turn your head to your right, then back to the camera.',
    },
  });
const policyView = kycPolicySchema.meta({ id: 'TenantKycPolicy', example: { requireVideoChallenge: true, allowPhotoAutoApprove: true } });

documentRoute({
  function: FUNCTIONS.createLivenessChallenge, method: 'POST', path: '/api/v1/verifications/challenges', tags: ['Verifications'], auth: ['apiKey', 'sessionToken'], rateLimited: true,
  summary: 'An active liveness challenge: head movements to perform in the selfie video (valid 2 min, single use)',
  description: 'Send its `id` as `challengeId` with the selfie video. With a session token (the capture page) the challenge belongs to the session\'s tenant.',
  responses: { 201: { description: 'The challenge', schema: challengeView } },
});
documentRoute({
  function: FUNCTIONS.getTenantKycPolicy, method: 'GET', path: '/api/v1/tenant/settings/kyc-policy', tags: ['Tenant settings'], auth: ['bearer'],
  summary: "The caller's tenant's KYC policy (its admins)",
  responses: { 200: { description: 'The policy (defaults when never set)', schema: policyView } },
});
documentRoute({
  function: FUNCTIONS.putTenantKycPolicy, method: 'PUT', path: '/api/v1/tenant/settings/kyc-policy', tags: ['Tenant settings'], auth: ['bearer'],
  summary: "Replace the caller's tenant's KYC policy (its admins; audited). Fields left out take their defaults",
  body: { schema: kycPolicySchema, example: { requireVideoChallenge: true, allowPhotoAutoApprove: false } },
  responses: { 200: { description: 'The stored policy', schema: policyView } },
});
