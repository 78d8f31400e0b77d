import { app } from '@azure/functions';
import { apiRoute } from '../shared/http/api-route';
import { z } from 'zod';
import { notFound } from '../shared/errors';
import { FUNCTIONS } from '../shared/names';
import { httpHandler, ok } from '../shared/http';
import { principalName } from '../shared/auth';
import { requirePlatformTenant } from '../shared/auth/platform-tenant';
import { auditCall, requireRolesAudited } from '../shared/wiring/audit';
import { authenticate } from '../shared/wiring/auth';
import { settingsDefinition, settingsStore } from '../shared/wiring/settings';

export const keyParams = z.object({ key: z.string().min(1).max(64) });

function definitionOf(key: string) {
  const definition = settingsDefinition(key);
  if (!definition) throw notFound(`Setting ${key}`);
  return definition;
}

app.http(FUNCTIONS.getSetting, {
  route: apiRoute('v1/admin/settings/{key}'),
  methods: ['GET'],
  authLevel: 'anonymous',
  handler: httpHandler({ auth: authenticate, roles: ['admin'] }, async (call) => {
    requirePlatformTenant(call.principal, 'Deployment-wide settings');
    const { key } = call.params(keyParams);
    const definition = definitionOf(key);
    const value = await (await settingsStore()).get(definition);
    return ok({ key, description: definition.description, value });
  }),
});

// Settings are deployment-wide (thresholds, fraud rules, retention): only the platform tenant's admins
// read or change them. Effective without restart: instances re-read settings within their short cache period.
app.http(FUNCTIONS.putSetting, {
  route: apiRoute('v1/admin/settings/{key}'),
  methods: ['PUT'],
  authLevel: 'anonymous',
  // Roles checked in the handler, so a refused change is in the audit trail too.
  handler: httpHandler({ auth: authenticate }, async (call) => {
    const { key } = call.params(keyParams);
    const target = { targetType: 'settings', targetId: key } as const;
    await requireRolesAudited(call, ['admin'], 'settings.update', target);
    try {
      requirePlatformTenant(call.principal, 'Deployment-wide settings');
    } catch (refused) {
      await auditCall(call, 'settings.update', target, 'denied');
      throw refused;
    }
    const definition = definitionOf(key);
    const body = await call.body(z.object({ value: z.unknown() }));
    const value = await (await settingsStore()).put(definition, body.value, principalName(call.principal));
    await auditCall(call, 'settings.update', target);
    return ok({ key, description: definition.description, value });
  }),
});
