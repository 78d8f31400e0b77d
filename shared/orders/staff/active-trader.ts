/**
 * A trader's token is honoured only while his record is active: an admin's deactivation takes
 * effect on the next request, on every trader route (a point read of the platform partition, not
 * the selector's cached copy, so there is no cache window).
 */
import type { Principal } from '../../auth/principal';
import { DomainError } from '../../errors';
import type { OrderDeps } from '../deps';
import { PLATFORM_TENANT, type TraderDoc } from '../documents';
import { traderActor } from '../principal-actor';
import type { Actor } from '../schemas';
import { readItem } from '../store';

/** 403 `trader-inactive`: the token is valid but its trader was deactivated (or never existed). */
export const traderInactive = () => new DomainError('trader-inactive', 'This user is not an active trader', 403);

export async function requireActiveTrader(deps: Pick<OrderDeps, 'store'>, traderId: string): Promise<TraderDoc> {
  const trader = await readItem<TraderDoc>(deps.store.traders, traderId, PLATFORM_TENANT);
  if (!trader || trader.type !== 'trader' || !trader.active) throw traderInactive();
  return trader;
}

/** The trader actor of a request, once his record is known to be active. */
export async function activeTraderActor(deps: Pick<OrderDeps, 'store'>, principal: Principal): Promise<Actor> {
  const actor = traderActor(principal);
  await requireActiveTrader(deps, actor.traderId ?? '');
  return actor;
}
