import type { TenantStore } from '../auth/tenant-store';
import type { WebhookEndpoints } from './delivery';

/** Webhook endpoints read from tenant documents (`webhook: { url, secret }`). */
export function tenantWebhookEndpoints(tenants: TenantStore): WebhookEndpoints {
  return {
    endpointFor: async (tenantId) => (await tenants.get(tenantId))?.webhook,
  };
}
