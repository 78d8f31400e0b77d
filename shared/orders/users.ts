/** Admin view of staff records (traders, team leads): list, create, and edit team, active flag, priority and commission. */
import { z } from 'zod';
import { DomainError, notFound } from '../errors';
import type { OrderDeps } from './deps';
import { PLATFORM_TENANT, type TeamLeadDoc, type TraderDoc } from './documents';
import type { Page } from './paging';
import { isConflict } from './cosmos-errors';
import { readItem } from './store';
import { listStaffRecords, requireTeamLead, toTeamLeadView, toTraderView, trafficPrioritySchema, updateTeamLead, updateTrader, type TeamLeadView, type TraderView } from './team';

type Deps = Pick<OrderDeps, 'store' | 'clock' | 'settings' | 'reference'>;

const basisPoints = z.number().int().min(0).max(10_000);

/**
 * PUT /api/v1/admin/users/{id}: creates the record when it does not exist
 * (`role` and `name` required, and `commission` for a trader), else changes any
 * subset of its fields. `teamLeadId`, `trafficPriority` and `commission` are for traders only.
 */
export const adminUserBodySchema = z
  .strictObject({
    /** Which record: needed to create one; on an existing record it must match. */
    role: z.enum(['trader', 'teamlead']).optional(),
    name: z.string().trim().min(1).max(100).optional(),
    active: z.boolean().optional(),
    trafficPriority: trafficPrioritySchema.optional(),
    /** A team lead's id, or null to take the trader out of his team. */
    teamLeadId: z.string().min(1).max(64).nullable().optional(),
    /** What the platform pays the trader, basis points of the order amount. */
    commission: z.strictObject({ payinBps: basisPoints, payoutBps: basisPoints }).optional(),
  })
  .refine((v) => Object.keys(v).length > 0, 'send at least one field');
export type AdminUserBody = z.infer<typeof adminUserBodySchema>;

/** Ids of new staff records: they become token subjects. */
const STAFF_ID = /^[a-z0-9][a-z0-9_-]{0,63}$/;

export const adminUsersQuerySchema = z.object({ role: z.enum(['trader', 'teamlead']).optional() });

export type StaffView = TraderView | TeamLeadView;

const toStaffView = (doc: TraderDoc | TeamLeadDoc): StaffView => (doc.type === 'trader' ? toTraderView(doc) : toTeamLeadView(doc));

export async function adminListUsers(deps: Pick<OrderDeps, 'store'>, role: 'trader' | 'teamlead' | undefined, page: { limit: number; continuation?: string | undefined }): Promise<Page<StaffView>> {
  const result = await listStaffRecords(deps, role, page);
  return { ...result, items: result.items.map(toStaffView) };
}

export async function adminPutUser(deps: Deps, id: string, body: AdminUserBody): Promise<{ user: StaffView; created: boolean }> {
  const doc = await readItem<TraderDoc | TeamLeadDoc>(deps.store.traders, id, PLATFORM_TENANT);
  if (!doc || (doc.type !== 'trader' && doc.type !== 'teamlead')) {
    if (!body.role) throw notFound('User'); // nothing to update, and not enough to create one
    const created = await createStaffRecord(deps, id, body);
    if (created) return { user: toStaffView(created), created: true };
    return adminPutUser(deps, id, body); // someone created it meanwhile: update it instead
  }
  if (body.role && body.role !== doc.type) {
    throw new DomainError('user-role-mismatch', `User ${id} is a ${doc.type}, not a ${body.role}`, 409, { currentRole: doc.type });
  }
  if (doc.type === 'trader') {
    if (body.teamLeadId === id) throw invalid('teamLeadId', 'a trader cannot lead himself');
    const { role: _role, ...change } = body;
    return { user: toTraderView(await updateTrader(deps, id, change)), created: false };
  }
  rejectTraderFields(body);
  const change = { ...(body.name ? { name: body.name } : {}), ...(body.active === undefined ? {} : { active: body.active }) };
  return { user: toTeamLeadView(await updateTeamLead(deps, id, change)), created: false };
}

function rejectTraderFields(body: AdminUserBody): void {
  const traderOnly = (['trafficPriority', 'teamLeadId', 'commission'] as const).filter((k) => body[k] !== undefined);
  if (traderOnly.length) throw new DomainError('validation-failed', 'Invalid request body', 400, { errors: traderOnly.map((path) => ({ path, message: 'only traders have this field' })) });
}

/** Creates the record `body` describes; undefined if the id was taken meanwhile (409 from Cosmos). */
async function createStaffRecord(deps: Deps, id: string, body: AdminUserBody): Promise<TraderDoc | TeamLeadDoc | undefined> {
  const missing = [...(body.name ? [] : ['name']), ...(body.role === 'trader' && !body.commission ? ['commission'] : [])];
  if (!STAFF_ID.test(id)) throw new DomainError('validation-failed', 'Invalid route parameters', 400, { errors: [{ path: 'id', message: 'lowercase letters, digits, _ and - (at most 64)' }] });
  if (missing.length) throw new DomainError('validation-failed', 'Invalid request body', 400, { errors: missing.map((path) => ({ path, message: 'Required to create a user' })) });
  const name = body.name ?? '';
  let doc: TraderDoc | TeamLeadDoc;
  if (body.role === 'trader') {
    if (body.teamLeadId) await requireTeamLead(deps, body.teamLeadId);
    if (body.teamLeadId === id) throw invalid('teamLeadId', 'a trader cannot lead himself');
    doc = {
      id, type: 'trader', tenantId: PLATFORM_TENANT, name, trafficPriority: body.trafficPriority ?? 1, active: body.active ?? true,
      commission: body.commission ?? { payinBps: 0, payoutBps: 0 }, ...(body.teamLeadId ? { teamLeadId: body.teamLeadId } : {}), updatedAt: deps.clock.now().toISOString(),
    };
  } else {
    rejectTraderFields(body);
    doc = { id, type: 'teamlead', tenantId: PLATFORM_TENANT, name, active: body.active ?? true };
  }
  try {
    const { resource } = await deps.store.traders.items.create(doc);
    deps.reference.clear();
    return (resource as TraderDoc | TeamLeadDoc | undefined) ?? doc;
  } catch (error) {
    if (isConflict(error)) return undefined;
    throw error;
  }
}

const invalid = (path: string, message: string) => new DomainError('validation-failed', 'Invalid request body', 400, { errors: [{ path, message }] });
