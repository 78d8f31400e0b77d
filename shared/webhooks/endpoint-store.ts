import { randomBytes } from 'node:crypto';
import type { Container } from '@azure/cosmos';
import { DomainError, notFound } from '../errors';
import type { Clock } from '../platform/clock';
import { isNotFound, isPreconditionFailed } from '../platform/cosmos-status';
import { generateWebhookSecret } from './signature';
import {
  type EndpointDocument,
  endpointDocumentSchema,
  MAX_ROTATION_OVERLAP_MIN,
  type createEndpointBodySchema,
  type updateEndpointBodySchema,
} from './endpoint';
import { checkWebhookTarget, type ResolveHost, type VouchMode } from './target-url';
import type { z } from 'zod';

/** At most this many endpoints per tenant: each event fans out to every one of them. */
export const MAX_ENDPOINTS_PER_TENANT = 10;

const docId = (endpointId: string) => `endpoint:${endpointId}`;

export interface EndpointStoreDeps {
  container: Container;
  clock: Clock;
  mode: VouchMode;
  resolve?: ResolveHost;
}

/** 400 `webhook-url-rejected` unless the URL passes the same SSRF check delivery applies. */
async function requireAllowedUrl(url: string, deps: EndpointStoreDeps): Promise<void> {
  const check = await checkWebhookTarget(url, deps.mode, deps.resolve);
  if (!check.ok) throw new DomainError('webhook-url-rejected', `Webhook URL rejected: ${check.reason}`, 400, { reason: check.reason });
}

/** A tenant's webhook endpoints in the `webhooks` container; every read and write names the tenant's partition. */
export class WebhookEndpointStore {
  constructor(private readonly deps: EndpointStoreDeps) {}

  async list(tenantId: string): Promise<EndpointDocument[]> {
    const { resources } = await this.deps.container.items
      .query<EndpointDocument>(
        { query: 'SELECT * FROM c WHERE c.tenantId = @t AND c.kind = @k', parameters: [{ name: '@t', value: tenantId }, { name: '@k', value: 'endpoint' }] },
        { partitionKey: tenantId },
      )
      .fetchAll();
    return resources.map((r) => endpointDocumentSchema.parse(r)).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  async get(tenantId: string, endpointId: string): Promise<EndpointDocument | undefined> {
    try {
      const { resource } = await this.deps.container.item(docId(endpointId), tenantId).read();
      return resource === undefined ? undefined : endpointDocumentSchema.parse(resource);
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
  }

  async create(tenantId: string, body: z.output<typeof createEndpointBodySchema>): Promise<EndpointDocument> {
    await requireAllowedUrl(body.url, this.deps);
    if ((await this.list(tenantId)).length >= MAX_ENDPOINTS_PER_TENANT) {
      throw new DomainError('webhook-endpoint-limit', `At most ${MAX_ENDPOINTS_PER_TENANT} webhook endpoints per tenant`, 409);
    }
    const now = this.deps.clock.now().toISOString();
    const endpointId = `ep_${randomBytes(8).toString('hex')}`;
    const doc = endpointDocumentSchema.parse({
      id: docId(endpointId), kind: 'endpoint', tenantId, endpointId, url: body.url,
      ...(body.description === undefined ? {} : { description: body.description }),
      eventTypes: body.eventTypes, enabled: body.enabled,
      secrets: [{ secret: generateWebhookSecret(), createdAt: now }],
      createdAt: now, updatedAt: now, ttl: -1,
    });
    await this.deps.container.items.create(doc);
    return doc;
  }

  async update(tenantId: string, endpointId: string, patch: z.output<typeof updateEndpointBodySchema>): Promise<EndpointDocument> {
    if (patch.url !== undefined) await requireAllowedUrl(patch.url, this.deps);
    return this.modify(tenantId, endpointId, (doc) => ({
      ...doc,
      ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)),
    }));
  }

  /**
   * A new current secret; the previous one keeps signing for `overlapMinutes` (both
   * signatures are sent meanwhile). An older one still in its overlap is dropped.
   */
  async rotateSecret(tenantId: string, endpointId: string, overlapMinutes: number): Promise<EndpointDocument> {
    const now = this.deps.clock.now();
    const overlap = Math.min(overlapMinutes, MAX_ROTATION_OVERLAP_MIN);
    return this.modify(tenantId, endpointId, (doc) => {
      const previous = doc.secrets[0]!;
      const retiring = overlap > 0 ? [{ secret: previous.secret, createdAt: previous.createdAt, expiresAt: new Date(now.getTime() + overlap * 60_000).toISOString() }] : [];
      return { ...doc, secrets: [{ secret: generateWebhookSecret(), createdAt: now.toISOString() }, ...retiring] };
    });
  }

  async delete(tenantId: string, endpointId: string): Promise<void> {
    try {
      await this.deps.container.item(docId(endpointId), tenantId).delete();
    } catch (e) {
      if (isNotFound(e)) throw notFound('Webhook endpoint');
      throw e;
    }
  }

  /** ETag-conditional read-modify-write; a lost race re-reads and re-applies. */
  private async modify(tenantId: string, endpointId: string, change: (doc: EndpointDocument) => EndpointDocument): Promise<EndpointDocument> {
    for (let i = 0; i < 5; i++) {
      let read;
      try {
        read = await this.deps.container.item(docId(endpointId), tenantId).read();
      } catch (e) {
        if (isNotFound(e)) throw notFound('Webhook endpoint');
        throw e;
      }
      if (read.resource === undefined) throw notFound('Webhook endpoint');
      const next = endpointDocumentSchema.parse({ ...change(endpointDocumentSchema.parse(read.resource)), updatedAt: this.deps.clock.now().toISOString() });
      try {
        await this.deps.container.item(next.id, tenantId).replace(next, { accessCondition: { type: 'IfMatch', condition: read.etag! } });
        return next;
      } catch (e) {
        if (!isPreconditionFailed(e)) throw e;
      }
    }
    throw new DomainError('concurrency-conflict', 'The endpoint kept changing; try again', 503);
  }
}
