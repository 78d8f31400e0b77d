/**
 * A pay-out's payee, supplied by the merchant and validated per payment method: `card` needs a
 * card number passing Luhn, `sbp` a phone number (+7 and 10 digits, or another country's E.164),
 * `bank_transfer` an account number (20 digits for RUB accounts, 8-34 letters/digits otherwise,
 * e.g. an IBAN). The order stores it sealed (shared/crypto) with a masked display copy; only the
 * assigned trader's view opens it.
 */
import { z } from 'zod';
import { DomainError } from '../../errors';
import type { KeyRing } from '../../crypto/key-ring';
import { open, seal, type SealedValue } from '../../crypto/envelope';
import { passesLuhn } from './luhn';

export const payeeBodySchema = z.strictObject({
  cardNumber: z.string().trim().max(40).optional(),
  phone: z.string().trim().max(40).optional(),
  accountNumber: z.string().trim().max(60).optional(),
  /** Name on the card or account, as the bank shows it. */
  holderName: z.string().trim().min(1).max(100),
  /** Bank code (reference data id without `bank:`), required for SBP and bank transfers. */
  bank: z.string().trim().min(1).max(40).optional(),
});
export type PayeeBody = z.infer<typeof payeeBodySchema>;

/** What the trader pays to: one number of the method's kind. */
export interface PayeeDetails {
  kind: 'card' | 'phone' | 'account';
  /** Normalised: digits only (a leading + for phones). */
  number: string;
  holderName: string;
  bank?: string;
}

/** What the order stores. */
export interface StoredPayee {
  kind: PayeeDetails['kind'];
  /** Masked: the last four digits. */
  displayNumber: string;
  sealed: SealedValue;
}

const invalid = (path: string, message: string) => new DomainError('validation-failed', 'Invalid payee', 400, { errors: [{ path: `payee.${path}`, message }] });

const digitsOf = (value: string) => value.replace(/[\s-]/g, '');

/** Validates the payee for `method`; throws 400 `validation-failed`-style problems naming the field. */
export function validatePayee(method: string, currency: string, body: PayeeBody): PayeeDetails {
  const base = { holderName: body.holderName, ...(body.bank ? { bank: body.bank } : {}) };
  switch (method) {
    case 'card': {
      const number = digitsOf(body.cardNumber ?? '');
      if (!/^\d{12,19}$/.test(number)) throw invalid('cardNumber', 'a card number has 12 to 19 digits');
      if (!passesLuhn(number)) throw invalid('cardNumber', 'not a valid card number (Luhn check failed)');
      return { kind: 'card', number, ...base };
    }
    case 'sbp': {
      const raw = digitsOf((body.phone ?? '').replace(/[()]/g, ''));
      const number = raw.startsWith('8') && raw.length === 11 ? `+7${raw.slice(1)}` : raw;
      const valid = currency === 'RUB' ? /^\+7\d{10}$/.test(number) : /^\+[1-9]\d{7,14}$/.test(number);
      if (!valid) throw invalid('phone', currency === 'RUB' ? 'an SBP phone is +7 and 10 digits' : 'a phone in E.164 form, e.g. +4915112345678');
      if (!body.bank) throw invalid('bank', 'SBP needs the payee bank');
      return { kind: 'phone', number, ...base };
    }
    case 'bank_transfer': {
      const number = digitsOf(body.accountNumber ?? '').toUpperCase();
      const valid = currency === 'RUB' ? /^\d{20}$/.test(number) : /^[A-Z0-9]{8,34}$/.test(number);
      if (!valid) throw invalid('accountNumber', currency === 'RUB' ? 'a RUB account number has 20 digits' : '8 to 34 letters and digits');
      if (!body.bank) throw invalid('bank', 'a bank transfer needs the payee bank');
      return { kind: 'account', number, ...base };
    }
    default:
      throw invalid('', `no payee rules for method ${method}`);
  }
}

const aadOf = (tenantId: string, orderId: string) => `order:${tenantId}:${orderId}:payee`;

export const maskNumber = (number: string) => `**** ${number.replace(/\D/g, '').slice(-4)}`;

export function sealPayee(keys: KeyRing, tenantId: string, orderId: string, payee: PayeeDetails): StoredPayee {
  return { kind: payee.kind, displayNumber: maskNumber(payee.number), sealed: seal(keys, payee, aadOf(tenantId, orderId)) };
}

export const openPayee = (keys: KeyRing, tenantId: string, orderId: string, stored: StoredPayee): PayeeDetails =>
  open<PayeeDetails>(keys, stored.sealed, aadOf(tenantId, orderId));
