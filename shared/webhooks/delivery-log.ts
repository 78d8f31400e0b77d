import type { Container } from '@azure/cosmos';
import { isConflict, isPreconditionFailed } from '../platform/cosmos-status';

/** One attempt as logged: no body, no URL (either may carry personal data or tokens). */
export interface AttemptRecord {
  attempt: number;
  /** ISO time the attempt started. */
  at: string;
  durationMs: number;
  statusCode?: number;
  error?: 'timeout' | 'network' | 'url-rejected';
}

export type DeliveryStatus = 'pending' | 'delivered' | 'exhausted';

/** Document in the `webhooks` container (partition `/tenantId`, id = event id). */
export interface DeliveryLogEntry {
  id: string;
  tenantId: string;
  eventType: string;
  status: DeliveryStatus;
  attempts: AttemptRecord[];
}

/** Remembers each event's attempts; makes deliveries idempotent by event id. */
export interface DeliveryLog {
  get(tenantId: string, eventId: string): Promise<DeliveryLogEntry | undefined>;
  /** Appends `record` (once per attempt number) and sets the status. */
  record(
    entry: Pick<DeliveryLogEntry, 'id' | 'tenantId' | 'eventType'>,
    record: AttemptRecord,
    status: DeliveryStatus,
  ): Promise<void>;
}

const MAX_CONFLICT_RETRIES = 5;

export class CosmosDeliveryLog implements DeliveryLog {
  constructor(private readonly container: Container) {}

  async get(tenantId: string, eventId: string): Promise<DeliveryLogEntry | undefined> {
    const { resource } = await this.container.item(eventId, tenantId).read<DeliveryLogEntry>();
    return resource;
  }

  async record(
    entry: Pick<DeliveryLogEntry, 'id' | 'tenantId' | 'eventType'>,
    record: AttemptRecord,
    status: DeliveryStatus,
  ): Promise<void> {
    // Read-modify-write under an ETag condition: two instances handling duplicates never lose an attempt.
    for (let i = 0; i < MAX_CONFLICT_RETRIES; i++) {
      const { resource, etag } = await this.container.item(entry.id, entry.tenantId).read<DeliveryLogEntry>();
      const attempts = resource?.attempts ?? [];
      const next: DeliveryLogEntry = {
        id: entry.id,
        tenantId: entry.tenantId,
        eventType: entry.eventType,
        // Delivered is final: a late failure record must not undo it.
        status: resource?.status === 'delivered' ? 'delivered' : status,
        attempts: attempts.some((a) => a.attempt === record.attempt) ? attempts : [...attempts, record],
      };
      try {
        if (resource && etag) {
          await this.container.item(entry.id, entry.tenantId).replace(next, { accessCondition: { type: 'IfMatch', condition: etag } });
        } else {
          await this.container.items.create(next);
        }
        return;
      } catch (e) {
        if (!(isPreconditionFailed(e) || isConflict(e))) throw e;
      }
    }
    throw new Error(`Delivery log for ${entry.id} kept changing under us`);
  }
}
