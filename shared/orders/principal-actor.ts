/** Maps an authenticated caller to the engine's Actor; the engine then checks role and ownership. */
import type { Principal } from '../auth/principal';
import { principalName } from '../auth/principal';
import { forbidden } from '../errors';
import type { Actor } from './schemas';

/** A merchant integration (API key) acts for its own tenant. */
export const merchantActor = (principal: Principal): Actor => ({ role: 'merchant', id: principalName(principal), tenantId: principal.tenantId });

/** A trader's token subject is his trader id. */
export function traderActor(principal: Principal): Actor {
  if (principal.kind !== 'user' || !principal.roles.includes('trader')) throw forbidden('Requires the trader role');
  return { role: 'trader', id: principalName(principal), traderId: principal.subject };
}

/**
 * Support staff; an admin acts as admin (same rights in the engine's table). The token's tenant
 * travels with the actor: only the platform tenant's staff may take neutral decisions (transitions.ts).
 */
export function staffActor(principal: Principal): Actor {
  if (principal.kind !== 'user') throw forbidden('Requires the support or admin role');
  const role = principal.roles.includes('support') ? 'support' : principal.roles.includes('admin') ? 'admin' : undefined;
  if (!role) throw forbidden('Requires the support or admin role');
  return { role, id: principalName(principal), tenantId: principal.tenantId };
}
