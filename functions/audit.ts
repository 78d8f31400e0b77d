import { app, type InvocationContext } from '@azure/functions';
import { apiRoute } from '../shared/http/api-route';
import { auditListQuerySchema } from '../shared/audit/audit-query';
import { purgeExpiredAudit } from '../shared/audit/audit-store';
import { httpHandler, ok } from '../shared/http';
import { COSMOS_CONTAINERS, FUNCTIONS } from '../shared/names';
import { cosmosContainer } from '../shared/platform/cosmos';
import { systemClock } from '../shared/platform/clock';
import { auditCall, auditStore, requireRolesAudited } from '../shared/wiring/audit';
import { authenticate } from '../shared/wiring/auth';
import { SETTINGS, settingsStore } from '../shared/wiring/settings';

// The caller's own tenant only: the partition key comes from the principal, never the query.
app.http(FUNCTIONS.listAudit, {
  route: apiRoute('v1/audit'),
  methods: ['GET'],
  authLevel: 'anonymous',
  handler: httpHandler({ auth: authenticate }, async (call) => {
    const target = { targetType: 'audit', targetId: call.principal.tenantId } as const;
    await requireRolesAudited(call, ['admin', 'operator'], 'audit.read', target);
    const { limit, continuationToken, ...filter } = call.query(auditListQuerySchema);
    const page = await (await auditStore()).list(call.principal.tenantId, filter, {
      limit,
      ...(continuationToken === undefined ? {} : { continuationToken }),
    });
    await auditCall(call, 'audit.read', target);
    return ok(page);
  }),
});

// Azure deletes expired entries by the container's TTL; the local Cosmos server has none.
app.timer(FUNCTIONS.auditPurge, {
  schedule: '%RETENTION_SWEEP_SCHEDULE%',
  handler: async (_timer: unknown, context: InvocationContext) => {
    const { sweepBatchSize } = await (await settingsStore()).get(SETTINGS.privacy);
    const purged = await purgeExpiredAudit(await cosmosContainer(COSMOS_CONTAINERS.audit), systemClock.now(), sweepBatchSize);
    if (purged > 0) context.log(`purged ${purged} expired audit entries`);
  },
});
