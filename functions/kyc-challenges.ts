import { app } from '@azure/functions';
import { z } from 'zod';
import { FUNCTIONS } from '../shared/names';
import { httpHandler, json, ok } from '../shared/http';
import { principalName } from '../shared/auth';
import { issueChallenge } from '../shared/kyc/challenges/issue-challenge';
import { auditCall, requireRolesAudited } from '../shared/wiring/audit';
import { authenticate, rateLimiter } from '../shared/wiring/auth';
import { challengeDeps, kycPolicies } from '../shared/wiring/kyc';

// Active liveness: the server picks the steps; the client shows them while recording and sends the id
// with the video (`challengeId`). 201 without Location: a challenge is not a resource to read back.
app.http(FUNCTIONS.createLivenessChallenge, {
  route: 'v1/verifications/challenges',
  methods: ['POST'],
  authLevel: 'anonymous',
  handler: httpHandler({ auth: authenticate, accept: ['apiKey'], maxBodyBytes: 1024, rateLimit: { limiter: rateLimiter } }, async (call) =>
    json(201, await issueChallenge(call.principal.tenantId, await challengeDeps())),
  ),
});

const policyTarget = { targetType: 'settings', targetId: 'kyc-policy' } as const;

// The caller's own tenant's policy: any admin of that tenant (a merchant's admin, not only the platform's).
app.http(FUNCTIONS.getTenantKycPolicy, {
  route: 'v1/tenant/settings/kyc-policy',
  methods: ['GET'],
  authLevel: 'anonymous',
  handler: httpHandler({ auth: authenticate, roles: ['admin'] }, async (call) =>
    ok(await (await kycPolicies()).get(call.principal.tenantId)),
  ),
});

app.http(FUNCTIONS.putTenantKycPolicy, {
  route: 'v1/tenant/settings/kyc-policy',
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
