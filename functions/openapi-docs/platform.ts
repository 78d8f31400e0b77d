import { z } from 'zod';
import { auditListQuerySchema } from '../../shared/audit/audit-query';
import { FUNCTIONS } from '../../shared/names';
import { documentRoute } from '../../shared/openapi/route-doc';
import { keyParams } from '../settings';
import { view } from './common';

const health = view({ status: z.enum(['healthy', 'unhealthy']) }, 'Health', { status: 'healthy', checks: { blob: 'ok', queue: 'ok', cosmos: 'ok' } });
const setting = view({ key: z.string(), description: z.string(), value: z.unknown() }, 'Setting');

documentRoute({
  function: FUNCTIONS.health, method: 'GET', path: '/api/health', tags: ['Platform'], auth: ['none'], summary: 'Blob, queue and Cosmos reachability',
  responses: { 200: { description: 'Healthy', schema: health }, 503: { description: 'A dependency is unreachable', schema: health } },
});
documentRoute({
  function: FUNCTIONS.getSetting, method: 'GET', path: '/api/v1/admin/settings/{key}', tags: ['Platform'], auth: ['bearer'], params: keyParams,
  summary: 'A runtime setting (platform admin)', responses: { 200: { description: 'The setting', schema: setting } },
  problems: { 403: ['platform-tenant-required'], 404: ['not-found'] },
});
documentRoute({
  function: FUNCTIONS.putSetting, method: 'PUT', path: '/api/v1/admin/settings/{key}', tags: ['Platform'], auth: ['bearer'], params: keyParams,
  body: { schema: z.object({ value: z.unknown() }) },
  summary: 'Change a runtime setting (platform admin), effective without restart', responses: { 200: { description: 'The setting', schema: setting } },
  problems: { 403: ['platform-tenant-required'], 404: ['not-found'] },
});
documentRoute({
  function: FUNCTIONS.listAudit, method: 'GET', path: '/api/v1/audit', tags: ['Platform'], auth: ['bearer'], query: auditListQuerySchema,
  summary: "The caller's tenant's audit trail (admin, operator)",
  responses: { 200: { description: 'A page of entries', schema: view({ items: z.array(z.unknown()), continuationToken: z.string().nullable() }, 'AuditPage') } },
});
