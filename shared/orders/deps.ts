import type { AuditEvent } from '../audit/audit-event';
/** The ports every order-engine operation receives. */
import type { KeyRing } from '../crypto/key-ring';
import type { Clock } from '../platform/clock';
import type { Logger } from '../platform/logger';
import type { ReferenceData } from './reference-data';
import type { OrderSettings } from './settings';
import type { OrdersStore } from './store';

export interface OrderDeps {
  store: OrdersStore;
  clock: Clock;
  settings: OrderSettings;
  /** Cached reference data; build one per process with createReferenceData. */
  reference: ReferenceData;
  logger: Logger;
  /** Key-encryption keys of payment details (requisite numbers, payees). */
  keys: KeyRing;
  /** Appends to the audit trail (fraud decisions); omitted in tests that do not look at it. */
  audit?: (event: AuditEvent) => Promise<void>;
}
