import type { Container } from '@azure/cosmos';
import { isConflict, isNotFound, isPreconditionFailed } from '../platform/cosmos-status';
import type { WebhookEvent } from './event';

/** One attempt as logged: no body, no response. */
export interface AttemptRecord {
  attempt: number;
  /** ISO time the attempt started. */
  at: string;
  durationMs: number;
  statusCode?: number;
  error?: 'timeout' | 'network' | 'url-rejected';
}

/** `exhausted`: dead-lettered after the last attempt (or an unusable URL); a resend makes it `pending` again. */
export type DeliveryStatus = 'pending' | 'delivered' | 'exhausted';

/** Where one delivery goes: a registered endpoint, or the `callbackUrl` a request named. */
export type DeliveryTarget = { endpointId: string; callbackUrl?: undefined } | { callbackUrl: string; endpointId?: undefined };

/** Document in the `webhooks` container (partition `/tenantId`, id = delivery id), one per event and target. */
export interface DeliveryLogEntry {
  id: string;
  kind: 'delivery';
  tenantId: string;
  eventId: string;
  eventType: string;
  endpointId?: string;
  callbackUrl?: string;
  /** Kept for resending; ids and statuses only (see the event builders). Ages out with the container TTL. */
  event: WebhookEvent;
  status: DeliveryStatus;
  attempts: AttemptRecord[];
  lastStatusCode?: number;
  /** ISO time of the scheduled next attempt while `pending`. */
  nextAttemptAt?: string;
  /** Times a person asked for it again. */
  resends: number;
  createdAt: string;
  updatedAt: string;
}

export interface DeliveryListFilter {
  status?: DeliveryStatus | undefined;
  eventType?: string | undefined;
  endpointId?: string | undefined;
}

export interface DeliveryPage {
  items: DeliveryLogEntry[];
  continuation?: string;
}

export type DeliveryIdentity = Pick<DeliveryLogEntry, 'id' | 'tenantId' | 'eventId' | 'eventType' | 'event'> & DeliveryTarget;

/** Remembers each delivery's attempts; makes deliveries idempotent by delivery id. */
export interface DeliveryLog {
  get(tenantId: string, deliveryId: string): Promise<DeliveryLogEntry | undefined>;
  /** Appends `record` (once per attempt number), sets the status and the next attempt's time. */
  record(entry: DeliveryIdentity, record: AttemptRecord, status: DeliveryStatus, now: Date, nextAttemptAt?: Date): Promise<void>;
  /** Makes a delivery `pending` again for a resend; returns it, or undefined when there is none. */
  reopen(tenantId: string, deliveryId: string, now: Date): Promise<DeliveryLogEntry | undefined>;
  list(tenantId: string, filter: DeliveryListFilter, page: { limit: number; continuation?: string | undefined }): Promise<DeliveryPage>;
}

const MAX_CONFLICT_RETRIES = 5;

export class CosmosDeliveryLog implements DeliveryLog {
  constructor(private readonly container: Container) {}

  async get(tenantId: string, deliveryId: string): Promise<DeliveryLogEntry | undefined> {
    return (await this.read(tenantId, deliveryId)).resource;
  }

  async record(entry: DeliveryIdentity, record: AttemptRecord, status: DeliveryStatus, now: Date, nextAttemptAt?: Date): Promise<void> {
    await this.modify(entry.tenantId, entry.id, (current) => {
      const attempts = current?.attempts ?? [];
      const known = attempts.some((a) => a.attempt === record.attempt);
      // Delivered is final for this round: a late failure record must not undo it.
      const finalStatus = current?.status === 'delivered' && known ? 'delivered' : status;
      return {
        id: entry.id,
        kind: 'delivery',
        tenantId: entry.tenantId,
        eventId: entry.eventId,
        eventType: entry.eventType,
        ...(entry.endpointId === undefined ? {} : { endpointId: entry.endpointId }),
        ...(entry.callbackUrl === undefined ? {} : { callbackUrl: entry.callbackUrl }),
        event: entry.event,
        status: finalStatus,
        attempts: known ? attempts : [...attempts, record],
        ...(known ? pickStatus(current) : record.statusCode === undefined ? {} : { lastStatusCode: record.statusCode }),
        ...(finalStatus === 'pending' && nextAttemptAt ? { nextAttemptAt: nextAttemptAt.toISOString() } : {}),
        resends: current?.resends ?? 0,
        createdAt: current?.createdAt ?? now.toISOString(),
        updatedAt: now.toISOString(),
      };
    });
  }

  async reopen(tenantId: string, deliveryId: string, now: Date): Promise<DeliveryLogEntry | undefined> {
    return this.modify(tenantId, deliveryId, (current) => {
      if (!current) return undefined;
      const { nextAttemptAt: _dropped, ...rest } = current;
      return { ...rest, status: 'pending', resends: current.resends + 1, updatedAt: now.toISOString() };
    });
  }

  async list(tenantId: string, filter: DeliveryListFilter, page: { limit: number; continuation?: string | undefined }): Promise<DeliveryPage> {
    const where = ['c.tenantId = @t', 'c.kind = "delivery"'];
    const parameters = [{ name: '@t', value: tenantId }];
    for (const [field, value] of Object.entries(filter)) {
      if (value === undefined) continue;
      where.push(`c.${field} = @${field}`);
      parameters.push({ name: `@${field}`, value });
    }
    const iterator = this.container.items.query<DeliveryLogEntry>(
      { query: `SELECT * FROM c WHERE ${where.join(' AND ')} ORDER BY c.createdAt DESC`, parameters },
      { partitionKey: tenantId, maxItemCount: page.limit, ...(page.continuation ? { continuationToken: page.continuation } : {}) },
    );
    const { resources, continuationToken } = await iterator.fetchNext();
    return { items: resources, ...(continuationToken ? { continuation: continuationToken } : {}) };
  }

  private async read(tenantId: string, id: string) {
    try {
      return await this.container.item(id, tenantId).read<DeliveryLogEntry>();
    } catch (e) {
      if (isNotFound(e)) return { resource: undefined, etag: undefined };
      throw e;
    }
  }

  /** Read-modify-write under an ETag condition: two instances handling duplicates never lose an attempt. */
  private async modify(
    tenantId: string,
    id: string,
    change: (current: DeliveryLogEntry | undefined) => DeliveryLogEntry | undefined,
  ): Promise<DeliveryLogEntry | undefined> {
    for (let i = 0; i < MAX_CONFLICT_RETRIES; i++) {
      const { resource, etag } = await this.read(tenantId, id);
      const next = change(resource);
      if (!next) return undefined;
      try {
        if (resource && etag) {
          await this.container.item(id, tenantId).replace(next, { accessCondition: { type: 'IfMatch', condition: etag } });
        } else {
          await this.container.items.create(next);
        }
        return next;
      } catch (e) {
        if (!(isPreconditionFailed(e) || isConflict(e))) throw e;
      }
    }
    throw new Error(`Delivery log for ${id} kept changing under us`);
  }
}

const pickStatus = (entry: DeliveryLogEntry | undefined) =>
  entry?.lastStatusCode === undefined ? {} : { lastStatusCode: entry.lastStatusCode };
