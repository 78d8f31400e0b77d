/**
 * What traders and admins send and see of requisites. Money is a decimal string
 * in the requisite's currency ("100000.00"), stored as integer minor units; the
 * API's `paused` is the document's `inactive`.
 */
import { z } from 'zod';
import { DomainError } from '../errors';
import { formatAmount, isSupportedCurrency, parseAmount } from '../money';
import type { RequisiteDoc, RequisiteStatus } from './documents';
import { ORDER_DIRECTIONS } from './schemas';
import { rollUsage } from './selection';

const amount = z.string().regex(/^(0|[1-9]\d*)(\.\d+)?$/, 'must be a decimal string such as "1000.00"');

/** The four limits, each a decimal string in the requisite's currency. */
const limitFields = {
  /** Smallest order this requisite takes. */
  minOrder: amount,
  /** Largest order this requisite takes. */
  maxOrder: amount,
  /** Volume of reserved and completed orders allowed per UTC day. */
  dailyLimit: amount,
  /** Volume allowed per UTC month. */
  monthlyLimit: amount,
};
type LimitField = keyof typeof limitFields;
const LIMIT_FIELDS = Object.keys(limitFields) as LimitField[];
const DOC_FIELD: Record<LimitField, 'minOrderMinor' | 'maxOrderMinor' | 'dailyLimitMinor' | 'monthlyLimitMinor'> = {
  minOrder: 'minOrderMinor',
  maxOrder: 'maxOrderMinor',
  dailyLimit: 'dailyLimitMinor',
  monthlyLimit: 'monthlyLimitMinor',
};

const ownerName = z.string().trim().min(1).max(100);

/** POST /api/v1/trader/requisites. */
export const createRequisiteBodySchema = z.strictObject({
  /** Payment method code (`card`, `sbp`, `bank_transfer`), one of the reference data's. */
  method: z.string().regex(/^[a-z0-9_]{1,40}$/, 'lowercase payment method code'),
  /** Bank code (`sber`), one of the reference data's. */
  bank: z.string().regex(/^[a-z0-9_-]{1,40}$/, 'lowercase bank code'),
  currency: z.string().regex(/^[A-Z]{3,4}$/, 'currency must be an ISO 4217 code').refine(isSupportedCurrency, 'unsupported currency'),
  /** Which order directions it serves; default both. */
  directions: z.array(z.enum(ORDER_DIRECTIONS)).min(1).max(2).optional(),
  ownerName,
  /** Card, account or phone number as the payer must enter it. */
  accountNumber: z.string().trim().regex(/^\+?[0-9][0-9 -]{3,38}[0-9]$/, 'digits, spaces and dashes (a leading + for phones)'),
  ...limitFields,
});
export type CreateRequisiteBody = z.infer<typeof createRequisiteBodySchema>;

/** API status names; `paused` is stored as `inactive`. */
export const REQUISITE_API_STATUSES = ['active', 'paused', 'blocked'] as const;
export type RequisiteApiStatus = (typeof REQUISITE_API_STATUSES)[number];
const toDocStatus = (s: RequisiteApiStatus): RequisiteStatus => (s === 'paused' ? 'inactive' : s);
const toApiStatus = (s: RequisiteStatus): RequisiteApiStatus => (s === 'inactive' ? 'paused' : s);

const atLeastOne = (value: object) => Object.keys(value).length > 0;

/** PATCH /api/v1/trader/requisites/{id}: the owner pauses/resumes it or changes limits. */
export const traderRequisitePatchSchema = z
  .strictObject({ status: z.enum(['active', 'paused']).optional(), ownerName: ownerName.optional(), ...partial(limitFields) })
  .refine(atLeastOne, 'send at least one field');

/** PUT /api/v1/admin/requisites/{id}: an admin may also block it (only an admin unblocks). */
export const adminRequisitePutSchema = z
  .strictObject({ status: z.enum(REQUISITE_API_STATUSES).optional(), ...partial(limitFields) })
  .refine(atLeastOne, 'send at least one field');

export type RequisitePatch = { status?: RequisiteApiStatus; ownerName?: string } & Partial<Record<LimitField, string>>;

function partial<T extends Record<string, z.ZodType>>(shape: T): { [K in keyof T]: z.ZodOptional<T[K]> } {
  return Object.fromEntries(Object.entries(shape).map(([k, v]) => [k, v.optional()])) as { [K in keyof T]: z.ZodOptional<T[K]> };
}

/** 400 `validation-failed` naming fields, the same shape the HTTP pipeline gives schema failures. */
const invalid = (errors: { path: string; message: string }[]) => new DomainError('validation-failed', 'Invalid request body', 400, { errors });

export type RequisiteLimits = Pick<RequisiteDoc, 'minOrderMinor' | 'maxOrderMinor' | 'dailyLimitMinor' | 'monthlyLimitMinor'>;

/**
 * The limits after applying `patch` (decimal strings in `currency`) to `current`:
 * each amount must fit the currency's precision, and min ≤ max ≤ daily ≤ monthly.
 */
export function mergeLimits(currency: string, current: RequisiteLimits, patch: Partial<Record<LimitField, string>>): RequisiteLimits {
  const next = { ...current };
  const errors: { path: string; message: string }[] = [];
  for (const field of LIMIT_FIELDS) {
    const text = patch[field];
    if (text === undefined) continue;
    try {
      next[DOC_FIELD[field]] = parseAmount(text, currency).minor;
    } catch (error) {
      errors.push({ path: field, message: error instanceof Error ? error.message : 'invalid amount' });
    }
  }
  if (errors.length) throw invalid(errors);
  if (next.minOrderMinor <= 0) errors.push({ path: 'minOrder', message: 'must be greater than zero' });
  if (next.maxOrderMinor < next.minOrderMinor) errors.push({ path: 'maxOrder', message: 'must not be below minOrder' });
  if (next.dailyLimitMinor < next.maxOrderMinor) errors.push({ path: 'dailyLimit', message: 'must not be below maxOrder' });
  if (next.monthlyLimitMinor < next.dailyLimitMinor) errors.push({ path: 'monthlyLimit', message: 'must not be below dailyLimit' });
  if (errors.length) throw invalid(errors);
  return next;
}

export function patchedStatus(status: RequisiteApiStatus | undefined, current: RequisiteStatus): RequisiteStatus {
  return status === undefined ? current : toDocStatus(status);
}

/** `**** 1234`: what payers and other staff see of an account number. */
export function maskAccountNumber(accountNumber: string): string {
  const digits = accountNumber.replace(/\D/g, '');
  return `**** ${digits.slice(-4)}`;
}

export interface RequisiteView {
  id: string;
  traderId: string;
  method: string;
  bank: string;
  currency: string;
  directions: RequisiteDoc['directions'];
  ownerName: string;
  displayNumber: string;
  /** Only the owner sees the full number. */
  accountNumber?: string;
  status: RequisiteApiStatus;
  minOrder: string;
  maxOrder: string;
  dailyLimit: string;
  monthlyLimit: string;
  /** Volume counted against the limits as of `now` (reserved and completed orders). */
  usage: { day: string; dailyUsed: string; month: string; monthlyUsed: string };
  lastUsedAt: string | null;
  createdAt?: string;
  updatedAt?: string;
}

/** `accountNumber`: the opened full number, passed by the owner's views only (see requisite-number.ts). */
export function toRequisiteView(doc: RequisiteDoc, audience: 'owner' | 'admin', now: Date, accountNumber?: string): RequisiteView {
  const money = (minor: number) => formatAmount({ currency: doc.currency, minor });
  const usage = rollUsage(doc.usage, now);
  return {
    id: doc.id,
    traderId: doc.traderId,
    method: doc.method,
    bank: doc.bankId.replace(/^bank:/, ''),
    currency: doc.currency,
    directions: doc.directions,
    ownerName: doc.holderName,
    displayNumber: doc.displayNumber,
    ...(audience === 'owner' && accountNumber ? { accountNumber } : {}),
    status: toApiStatus(doc.status),
    minOrder: money(doc.minOrderMinor),
    maxOrder: money(doc.maxOrderMinor),
    dailyLimit: money(doc.dailyLimitMinor),
    monthlyLimit: money(doc.monthlyLimitMinor),
    usage: { day: usage.day, dailyUsed: money(usage.dayMinor), month: usage.month, monthlyUsed: money(usage.monthMinor) },
    lastUsedAt: doc.lastUsedAt,
    ...(doc.createdAt ? { createdAt: doc.createdAt } : {}),
    ...(doc.updatedAt ? { updatedAt: doc.updatedAt } : {}),
  };
}
