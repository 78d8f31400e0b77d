/**
 * Local mode only: creates the demo tenants named by the `LOCAL_TENANTS` setting
 * (`[{ "tenantId", "name", "apiKeys": [...], "webhookSecret" }]`), so a fresh
 * `npm start` answers the demo API keys. Idempotent; refuses in azure mode.
 */
import { z } from 'zod';
import { registerApiKey, type Tenant } from '../auth';
import { config } from '../config';
import { systemClock } from '../platform/clock';
import { tenantStore } from './auth';

const localTenantsSchema = z.array(
  z.strictObject({
    tenantId: z.string(),
    name: z.string(),
    apiKeys: z.array(z.string().min(8)).min(1).max(2),
    /** Standard Webhooks form, `whsec_<base64>`: readable here so a developer can verify what arrives. */
    webhookSecret: z.string().regex(/^whsec_[A-Za-z0-9+/]{32,}={0,2}$/),
  }),
);

export async function seedLocalTenants(): Promise<number> {
  const cfg = config();
  if (cfg.VOUCH_MODE !== 'local' || !process.env.LOCAL_TENANTS) return 0;
  const tenants = localTenantsSchema.parse(JSON.parse(process.env.LOCAL_TENANTS));
  const store = await tenantStore();
  for (const seed of tenants) {
    let tenant: Tenant = { id: seed.tenantId, tenantId: seed.tenantId, name: seed.name, status: 'active', apiKeys: [], webhook: { secret: seed.webhookSecret } };
    for (const key of seed.apiKeys) {
      const registered = registerApiKey(tenant, key, cfg.API_KEY_PEPPER, systemClock.now());
      tenant = registered.tenant;
      await store.indexKeyHash(registered.hash, seed.tenantId);
    }
    await store.put(tenant);
  }
  return tenants.length;
}
