/**
 * Traders and team leads as staff see and change them: a team lead manages the
 * traffic priority of his own team's traders; an admin edits any trader's team,
 * active flag and priority, and a team lead's active flag. Trader documents are
 * read by requisite selection (through the reference-data cache), so each change
 * is an ETag-conditional write of the fresh document and clears this process's cache.
 */
import { z } from 'zod';
import { DomainError, notFound } from '../errors';
import type { OrderDeps } from './deps';
import { PLATFORM_TENANT, type TeamLeadDoc, type TraderDoc } from './documents';
import { mutateItem } from './optimistic';
import { queryPage, type Page } from './paging';
import { readItem } from './store';

type Deps = Pick<OrderDeps, 'store' | 'clock' | 'settings' | 'reference'>;

/** Lower number gets traffic first; 0..1000. */
export const trafficPrioritySchema = z.number().int().min(0).max(1000);

export const priorityBodySchema = z.strictObject({ priority: trafficPrioritySchema });

export interface TraderView {
  id: string;
  role: 'trader';
  name: string;
  teamLeadId: string | null;
  trafficPriority: number;
  active: boolean;
  commission: TraderDoc['commission'];
  updatedAt?: string;
}

export interface TeamLeadView {
  id: string;
  role: 'teamlead';
  name: string;
  active: boolean;
}

export const toTraderView = (t: TraderDoc): TraderView => ({
  id: t.id,
  role: 'trader',
  name: t.name,
  teamLeadId: t.teamLeadId ?? null,
  trafficPriority: t.trafficPriority,
  active: t.active,
  commission: t.commission,
  ...(t.updatedAt ? { updatedAt: t.updatedAt } : {}),
});

export const toTeamLeadView = (t: TeamLeadDoc): TeamLeadView => ({ id: t.id, role: 'teamlead', name: t.name, active: t.active ?? true });

/** The team lead's traders, by priority then id. */
export async function listTeamTraders(deps: Pick<OrderDeps, 'store'>, teamLeadId: string): Promise<TraderDoc[]> {
  const { resources } = await deps.store.traders.items
    .query<TraderDoc>(
      {
        query: "SELECT * FROM c WHERE c.tenantId = @tenantId AND c.type = 'trader' AND c.teamLeadId = @lead",
        parameters: [
          { name: '@tenantId', value: PLATFORM_TENANT },
          { name: '@lead', value: teamLeadId },
        ],
      },
      { partitionKey: PLATFORM_TENANT },
    )
    .fetchAll();
  return resources.sort((a, b) => a.trafficPriority - b.trafficPriority || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** The trader if he is in `teamLeadId`'s team; 404 otherwise (another team's trader is not confirmed to exist). */
export async function requireTeamTrader(deps: Pick<OrderDeps, 'store'>, teamLeadId: string, traderId: string): Promise<TraderDoc> {
  const trader = await readItem<TraderDoc>(deps.store.traders, traderId, PLATFORM_TENANT);
  if (!trader || trader.type !== 'trader' || trader.teamLeadId !== teamLeadId) throw notFound('Trader');
  return trader;
}

/** Changes to a trader record; `teamLeadId: null` takes him out of any team. */
export interface TraderChange {
  trafficPriority?: number;
  active?: boolean;
  teamLeadId?: string | null;
  name?: string;
  commission?: TraderDoc['commission'];
}

/** ETag-conditional update of a trader (re-applied on a lost race); `guard` may throw on the fresh document. */
export async function updateTrader(deps: Deps, traderId: string, change: TraderChange, guard: (t: TraderDoc) => void = () => {}): Promise<TraderDoc> {
  const existing = await readItem<TraderDoc>(deps.store.traders, traderId, PLATFORM_TENANT);
  if (!existing || existing.type !== 'trader') throw notFound('Trader');
  if (change.teamLeadId) await requireTeamLead(deps, change.teamLeadId);
  const { doc } = await mutateItem<TraderDoc>(
    deps.store.traders,
    traderId,
    PLATFORM_TENANT,
    (current) => {
      guard(current);
      const { teamLeadId, ...rest } = change;
      const next: TraderDoc = { ...current, ...rest, updatedAt: deps.clock.now().toISOString() };
      if (teamLeadId === null) delete next.teamLeadId;
      else if (teamLeadId !== undefined) next.teamLeadId = teamLeadId;
      return next;
    },
    deps.settings.CONCURRENCY_MAX_ATTEMPTS,
  );
  deps.reference.clear();
  return doc;
}

/** A team lead's priority change: only for traders of his team (404 otherwise, also if he moved out meanwhile). */
export function setTraderPriority(deps: Deps, teamLeadId: string, traderId: string, priority: number): Promise<TraderDoc> {
  return updateTrader(deps, traderId, { trafficPriority: priority }, (current) => {
    if (current.teamLeadId !== teamLeadId) throw notFound('Trader');
  });
}

export async function requireTeamLead(deps: Pick<OrderDeps, 'store'>, id: string): Promise<TeamLeadDoc> {
  const lead = await readItem<TeamLeadDoc>(deps.store.traders, id, PLATFORM_TENANT);
  if (!lead || lead.type !== 'teamlead') {
    throw new DomainError('validation-failed', 'Invalid request body', 400, { errors: [{ path: 'teamLeadId', message: `no team lead '${id}'` }] });
  }
  return lead;
}

/** Sets a team lead's active flag / name (ETag-conditional). */
export async function updateTeamLead(deps: Deps, id: string, change: { active?: boolean; name?: string }): Promise<TeamLeadDoc> {
  const existing = await readItem<TeamLeadDoc>(deps.store.traders, id, PLATFORM_TENANT);
  if (!existing || existing.type !== 'teamlead') throw notFound('Team lead');
  const { doc } = await mutateItem<TeamLeadDoc>(deps.store.traders, id, PLATFORM_TENANT, (current) => ({ ...current, ...change }), deps.settings.CONCURRENCY_MAX_ATTEMPTS);
  return doc;
}

/** Traders and team leads, one page at a time, optionally one role. */
export function listStaffRecords(
  deps: Pick<OrderDeps, 'store'>,
  role: 'trader' | 'teamlead' | undefined,
  page: { limit: number; continuation?: string | undefined },
): Promise<Page<TraderDoc | TeamLeadDoc>> {
  const query = role
    ? { query: 'SELECT * FROM c WHERE c.tenantId = @tenantId AND c.type = @type ORDER BY c.id', parameters: [{ name: '@tenantId', value: PLATFORM_TENANT }, { name: '@type', value: role }] }
    : { query: "SELECT * FROM c WHERE c.tenantId = @tenantId AND (c.type = 'trader' OR c.type = 'teamlead') ORDER BY c.id", parameters: [{ name: '@tenantId', value: PLATFORM_TENANT }] };
  return queryPage<TraderDoc | TeamLeadDoc>(deps.store.traders, query, { ...page, partitionKey: PLATFORM_TENANT });
}

/** 403 unless `id` names an active team lead: a deactivated team lead loses the team API at once. */
export async function requireActiveTeamLead(deps: Pick<OrderDeps, 'store'>, id: string): Promise<TeamLeadDoc> {
  const lead = await readItem<TeamLeadDoc>(deps.store.traders, id, PLATFORM_TENANT);
  if (!lead || lead.type !== 'teamlead' || lead.active === false) {
    throw new DomainError('teamlead-inactive', 'This user is not an active team lead', 403);
  }
  return lead;
}
