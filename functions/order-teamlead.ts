/** Team leads (JWT role teamlead): their team's traders, traffic priority and statistics. */
import { app } from '@azure/functions';
import { apiRoute } from '../shared/http/api-route';
import { z } from 'zod';
import { httpHandler, ok } from '../shared/http';
import { FUNCTIONS } from '../shared/names';
import { orderTenantScope, subjectOf } from '../shared/orders/staff-scope';
import { listTeamTraders, priorityBodySchema, requireActiveTeamLead, requireTeamTrader, setTraderPriority, toTraderView } from '../shared/orders/team';
import { traderStats } from '../shared/orders/trader-stats';
import { authenticate } from '../shared/wiring/auth';
import { orderEngine } from '../shared/wiring/orders';

const ROUTE = 'v1/teamlead/traders';
export const idParams = z.object({ id: z.string().min(1).max(64) });
const teamLead = { auth: authenticate, accept: ['user' as const], roles: ['teamlead' as const] };

app.http(FUNCTIONS.listTeamTraders, {
  route: apiRoute(ROUTE),
  methods: ['GET'],
  authLevel: 'anonymous',
  handler: httpHandler(teamLead, async (call) => {
    const engine = await orderEngine(call.log);
    const lead = await requireActiveTeamLead(engine.deps, subjectOf(call.principal));
    return ok({ items: (await listTeamTraders(engine.deps, lead.id)).map(toTraderView) });
  }),
});

// Effective for new assignments within REFERENCE_CACHE_SECONDS (the selector's trader cache).
app.http(FUNCTIONS.setTraderPriority, {
  route: apiRoute(`${ROUTE}/{id}/priority`),
  methods: ['PUT'],
  authLevel: 'anonymous',
  handler: httpHandler(teamLead, async (call) => {
    const { id } = call.params(idParams);
    const { priority } = await call.body(priorityBodySchema);
    const engine = await orderEngine(call.log);
    const lead = await requireActiveTeamLead(engine.deps, subjectOf(call.principal));
    return ok(toTraderView(await setTraderPriority(engine.deps, lead.id, id, priority)));
  }),
});

app.http(FUNCTIONS.teamTraderStats, {
  route: apiRoute(`${ROUTE}/{id}/stats`),
  methods: ['GET'],
  authLevel: 'anonymous',
  handler: httpHandler(teamLead, async (call) => {
    const { id } = call.params(idParams);
    const engine = await orderEngine(call.log);
    const lead = await requireActiveTeamLead(engine.deps, subjectOf(call.principal));
    await requireTeamTrader(engine.deps, lead.id, id);
    return ok(await traderStats(engine.deps, id, orderTenantScope(call.principal)));
  }),
});
