import type { TenantStore } from '../auth/tenant-store';
import type { WebhookTargets } from './delivery';
import { signingSecrets, subscribes } from './endpoint';
import type { WebhookEndpointStore } from './endpoint-store';

/**
 * Id of the endpoint a tenant document may name itself (`webhook: { url, secret }`,
 * the form before endpoints were managed through the API); it takes every event type.
 */
export const TENANT_DEFAULT_ENDPOINT = 'tenant-default';

/** Webhook targets from the tenant's registered endpoints and its tenant document. */
export function tenantWebhookTargets(tenants: TenantStore, endpoints: WebhookEndpointStore): WebhookTargets {
  return {
    async subscribedEndpoints(tenantId, eventType) {
      const [registered, tenant] = await Promise.all([endpoints.list(tenantId), tenants.get(tenantId)]);
      const ids = registered.filter((e) => subscribes(e, eventType)).map((e) => e.endpointId);
      return tenant?.webhook?.url ? [TENANT_DEFAULT_ENDPOINT, ...ids] : ids;
    },
    async endpoint(tenantId, endpointId, now) {
      if (endpointId === TENANT_DEFAULT_ENDPOINT) {
        const webhook = (await tenants.get(tenantId))?.webhook;
        return webhook?.url ? { url: webhook.url, secrets: [webhook.secret] } : undefined;
      }
      const doc = await endpoints.get(tenantId, endpointId);
      return doc?.enabled ? { url: doc.url, secrets: signingSecrets(doc, now) } : undefined;
    },
    async callbackSecrets(tenantId) {
      const secret = (await tenants.get(tenantId))?.webhook?.secret;
      return secret ? [secret] : [];
    },
  };
}
