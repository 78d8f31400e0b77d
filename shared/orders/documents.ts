/**
 * Shapes of the documents the order engine stores. Amounts are integer minor
 * units (`...Minor`) next to an explicit currency; every document has `tenantId`
 * (a merchant tenant, or `PLATFORM_TENANT` for what the platform owns).
 */
import { PLATFORM_TENANT } from '../auth/platform-tenant';
import type { SealedValue } from '../crypto/envelope';
import type { StoredPayee } from './payment-details/payee';
import type { OrderDirection } from './schemas';
import type { FraudDecision } from './fraud';
import type { OrderStatus } from './transitions';

/** Tenant id of documents that belong to the platform rather than a merchant (traders, requisites, rates). */
export { PLATFORM_TENANT };

export interface CommissionBps {
  /** Commission on pay-ins, basis points of the order amount (150 = 1.5 %). */
  payinBps: number;
  /** Commission on pay-outs, basis points of the order amount. */
  payoutBps: number;
}

export interface MerchantDoc {
  id: string;
  type: 'merchant';
  tenantId: string;
  name: string;
  active: boolean;
  /** Store orders go to when the caller names none. */
  defaultStoreId: string;
}

export interface StoreDoc {
  id: string;
  type: 'store';
  tenantId: string;
  name: string;
  active: boolean;
  /** What the platform charges this store. */
  commission: CommissionBps;
  callbackUrl?: string;
}

export interface TraderDoc {
  id: string;
  type: 'trader';
  tenantId: typeof PLATFORM_TENANT;
  name: string;
  teamLeadId?: string;
  /** Lower number gets traffic first. */
  trafficPriority: number;
  active: boolean;
  /** What the platform pays this trader per order. */
  commission: CommissionBps;
  /** ISO time of the last change by an admin or team lead. */
  updatedAt?: string;
  _etag?: string;
}

export interface TeamLeadDoc {
  id: string;
  type: 'teamlead';
  tenantId: typeof PLATFORM_TENANT;
  name: string;
  /** Absent means active (documents written before the flag existed). */
  active?: boolean;
  _etag?: string;
}

export type RequisiteStatus = 'active' | 'inactive' | 'blocked';

/** Volume taken against a requisite's dynamic limits (reserved and completed orders). */
export interface RequisiteUsage {
  /** UTC day `YYYY-MM-DD` that `dayMinor` counts. */
  day: string;
  dayMinor: number;
  /** UTC month `YYYY-MM` that `monthMinor` counts. */
  month: string;
  monthMinor: number;
}

/** A write the requisite doc has committed but whose reservation doc may not exist yet (see reservation.ts). */
export interface PendingReservationOp {
  op: 'reserve' | 'release';
  orderId: string;
  reservation: ReservationDoc;
}

export interface RequisiteDoc {
  id: string;
  type: 'requisite';
  tenantId: typeof PLATFORM_TENANT;
  traderId: string;
  method: string;
  bankId: string;
  currency: string;
  directions: OrderDirection[];
  /** Masked card / account number shown to the payer. */
  displayNumber: string;
  /** Legacy: the full number in plaintext, on documents written before encryption (read, never written). */
  accountNumber?: string;
  /** The full card / account number / SBP phone, sealed (payment-details/requisite-number.ts). */
  sealedNumber?: SealedValue;
  holderName: string;
  minOrderMinor: number;
  maxOrderMinor: number;
  dailyLimitMinor: number;
  monthlyLimitMinor: number;
  status: RequisiteStatus;
  /** ISO time of the last reservation: round-robin puts the least recently used first. */
  lastUsedAt: string | null;
  usage: RequisiteUsage;
  pending?: PendingReservationOp;
  /** ISO times of creation and of the last owner/admin change (requisites created through the API). */
  createdAt?: string;
  updatedAt?: string;
  _etag?: string;
}

/** One order's hold on one requisite's limits; id `reservation:{orderId}`. */
export interface ReservationDoc {
  id: string;
  type: 'reservation';
  tenantId: typeof PLATFORM_TENANT;
  orderId: string;
  orderTenantId: string;
  requisiteId: string;
  traderId: string;
  amountMinor: number;
  currency: string;
  day: string;
  month: string;
  state: 'held' | 'consumed' | 'released';
  createdAt: string;
  updatedAt: string;
  _etag?: string;
}

/** Rate, commissions and settlement amount fixed on the order at assignment. */
export interface OrderQuote {
  amountMinor: number;
  currency: string;
  storeCommissionBps: number;
  traderCommissionBps: number;
  storeCommissionMinor: number;
  traderCommissionMinor: number;
  /** storeCommission - traderCommission, in the order currency. */
  platformProfitMinor: number;
  rate: { base: string; quote: string; rate: string };
  settlementCurrency: string;
  /** What the trader's crypto balance moves by, in settlement-currency minor units. */
  settlementMinor: number;
}

export interface OrderHistoryEntry {
  at: string;
  /** What happened: a transition (`from`→`to`) or an engine event (fraud-check, retry, reservation...). */
  event: string;
  from?: OrderStatus;
  to?: OrderStatus;
  by: string;
  role: string;
  reason?: string;
  details?: Record<string, unknown>;
}

export interface OrderDoc {
  id: string;
  type: 'order';
  tenantId: string;
  storeId: string;
  direction: OrderDirection;
  amountMinor: number;
  currency: string;
  method: string;
  customerRef: string;
  callbackUrl?: string;
  /** Pay-in: sha256 of the payer's link token (payer/payer-token.ts); the token itself is never stored. */
  payerTokenHash?: string;
  status: OrderStatus;
  createdAt: string;
  updatedAt: string;
  /** When a new/assigned order expires (ORDER_TIMEOUT_MINUTES after creation, then after assignment). */
  expiresAt: string;
  retryCount: number;
  /** Earliest time of the next assignment attempt while `retrying`. */
  nextAttemptAt?: string;
  failureReason?: string;
  fraud?: { decision: FraudDecision; reasons: string[]; at: string };
  /** Requisite this order has claimed and is reserving (written before the reservation: crash recovery). */
  claim?: { requisiteId: string; traderId: string; at: string };
  /** Requisites whose claim was dropped (nothing fit): a racing worker's reservation there is released at assignment. */
  droppedClaims?: string[];
  assignment?: {
    requisiteId: string;
    traderId: string;
    teamLeadId?: string;
    bankId: string;
    method: string;
    displayNumber: string;
    holderName: string;
    assignedAt: string;
    /** The requisite's sealed full number, copied at assignment: the payer's view opens it without another read. */
    sealedNumber?: SealedValue;
  };
  /** Pay-out: whom the trader pays, sealed, with a masked copy. */
  payee?: StoredPayee;
  quote?: OrderQuote;
  /** Store commission fixed at creation, basis points (the pay-out hold includes it). */
  storeCommissionBps: number;
  /** Pay-out only: amount + store commission held from the store balance at creation. */
  holdMinor?: number;
  /** Ledger posting sets done for this order, by kind (hold/refund/settle): journal id. */
  ledger: Partial<Record<OrderPostingKind, string>>;
  history: OrderHistoryEntry[];
  /** Receipts uploaded with confirmations, oldest first (blobs in the `receipts` container). */
  receipts?: OrderReceipt[];
  _etag?: string;
}

/** A payment receipt stored with a confirmation. */
export interface OrderReceipt {
  /** `{tenantId}/{orderId}/{purpose}-{uuid}.{ext}` in the `receipts` container. */
  blobName: string;
  /** Sniffed from the bytes: image/jpeg, image/png or application/pdf. */
  contentType: string;
  sizeBytes: number;
  /** Hex sha256 of the bytes. */
  sha256: string;
  /** The action it came with (`confirm_payment`, `confirm`). */
  action: string;
  by: string;
  role: string;
  uploadedAt: string;
}

/** Order posting sets (hold/refund/settle), money entering from outside (deposit) and leaving to it (withdrawal). */
export type PostingKind = 'hold' | 'refund' | 'settle' | 'deposit' | 'withdrawal';

/** A ledger account: who owns it, in which currency, and whether it may go negative. */
export interface AccountRef {
  accountId: string;
  kind: AccountKind;
  ownerId: string;
  /** The owner's tenant: the merchant tenant for store accounts, `platform` otherwise. */
  tenantId: string;
  currency: string;
  allowNegative: boolean;
}

export interface PostingLeg {
  /** `${orderId}:${kind}:${leg}`: deterministic, so a replay finds the posting it already made. */
  id: string;
  account: AccountRef;
  currency: string;
  /** Signed: positive credits the account (platform owes more), negative debits it. */
  amountMinor: number;
}

export type OrderPostingKind = Exclude<PostingKind, 'deposit' | 'withdrawal'>;

/** A posting set (journal entry) in the ledger container; id `${orderId}:${kind}`, legs sum to zero per currency. */
export interface JournalDoc {
  id: string;
  type: 'journal';
  tenantId: string;
  /** The order (or deposit id) the set belongs to. */
  orderId: string;
  kind: PostingKind;
  legs: PostingLeg[];
  createdAt: string;
}

/** `platform-cash` is the outside world: deposits are credited from it. */
export type AccountKind = 'store' | 'store-hold' | 'trader-crypto' | 'platform-profit' | 'platform-fx' | 'platform-cash';

/** A balance in the balances container, partition `/accountId`; id = accountId. */
export interface BalanceDoc {
  id: string;
  type: 'balance';
  accountId: string;
  tenantId: string;
  kind: AccountKind;
  ownerId: string;
  currency: string;
  balanceMinor: number;
  /** Number of postings applied; each posting doc records the seq it got. */
  seq: number;
  /** May this balance go below zero (platform accounts may; stores may not). */
  allowNegative: boolean;
  /** A posting the balance already includes but whose posting doc may not exist yet. */
  pending?: PostingDoc;
  updatedAt: string;
  _etag?: string;
}

/** One applied leg: balance history line, partition `/accountId`, id = leg id. */
export interface PostingDoc {
  id: string;
  type: 'posting';
  accountId: string;
  tenantId: string;
  journalId: string;
  orderId: string;
  currency: string;
  amountMinor: number;
  seq: number;
  balanceAfterMinor: number;
  at: string;
}

export interface ExchangeRateDoc {
  id: string;
  type: 'exchange-rate';
  tenantId: typeof PLATFORM_TENANT;
  base: string;
  quote: string;
  rate: string;
  updatedAt: string;
}

export interface BankDoc {
  id: string;
  type: 'bank';
  tenantId: typeof PLATFORM_TENANT;
  name: string;
  country: string;
  active: boolean;
}

export interface PaymentMethodDoc {
  id: string;
  type: 'payment-method';
  tenantId: typeof PLATFORM_TENANT;
  code: string;
  name: string;
  active: boolean;
}

/** Orders counted in one velocity window; id `velocity:{scope}:{key}:{windowStart}`. */
export interface VelocityDoc {
  id: string;
  type: 'velocity';
  tenantId: string;
  scope: 'merchant' | 'customer';
  key: string;
  windowStart: string;
  count: number;
  amountMinor: number;
  /** Recent order ids, so a replayed check does not count an order twice. */
  orderIds: string[];
  _etag?: string;
}
