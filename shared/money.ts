/**
 * Money without floats. An amount is an integer count of the currency's minor
 * units (kopecks, cents, micro-USDT) held in a JS number that must stay a safe
 * integer; arithmetic that multiplies or divides goes through bigint and names
 * its rounding. Decimal strings ("1000.00") appear only at the edges.
 */
import { badRequest } from './errors';

/** Digits after the decimal point per currency (ISO 4217 exponent; USDT as issued on Tron/Ethereum). */
export const MINOR_UNITS: Readonly<Record<string, number>> = {
  RUB: 2, USD: 2, EUR: 2, KZT: 2, UZS: 2, UAH: 2, TRY: 2, AZN: 2, GBP: 2, INR: 2,
  JPY: 0, KRW: 0, VND: 0,
  USDT: 6, USDC: 6, BTC: 8,
};

export type Rounding = 'floor' | 'ceil' | 'half-up';

/** An amount with its currency; `minor` is an integer number of minor units. */
export interface Money {
  readonly currency: string;
  readonly minor: number;
}

export function minorUnits(currency: string): number {
  const digits = MINOR_UNITS[currency];
  if (digits === undefined) throw badRequest(`Unsupported currency ${currency}`, { currency });
  return digits;
}

export function isSupportedCurrency(currency: string): boolean {
  return MINOR_UNITS[currency] !== undefined;
}

const DECIMAL = /^(0|[1-9]\d*)(?:\.(\d+))?$/;

/** Parses a non-negative decimal string ("1000.00", "5") into minor units; rejects excess precision. */
export function parseAmount(text: string, currency: string): Money {
  const digits = minorUnits(currency);
  const match = DECIMAL.exec(text);
  if (!match) throw badRequest(`Amount "${text}" is not a decimal number`, { field: 'amount' });
  const whole = match[1] ?? '0';
  const fraction = match[2] ?? '';
  if (fraction.length > digits) {
    throw badRequest(`${currency} amounts have at most ${digits} decimal places`, { field: 'amount' });
  }
  const minor = BigInt(whole) * 10n ** BigInt(digits) + BigInt(fraction.padEnd(digits, '0') || '0');
  return { currency, minor: toSafe(minor) };
}

/** Formats minor units as a decimal string with exactly the currency's decimal places. */
export function formatAmount(money: Money): string {
  const digits = minorUnits(money.currency);
  const negative = money.minor < 0;
  const text = BigInt(Math.abs(money.minor)).toString().padStart(digits + 1, '0');
  const whole = text.slice(0, text.length - digits);
  const fraction = digits > 0 ? '.' + text.slice(text.length - digits) : '';
  return (negative ? '-' : '') + whole + fraction;
}

/** `numerator / denominator` for non-negative bigints with explicit rounding. */
export function divide(numerator: bigint, denominator: bigint, rounding: Rounding): bigint {
  if (denominator <= 0n || numerator < 0n) throw new RangeError('divide expects numerator >= 0 and denominator > 0');
  const quotient = numerator / denominator;
  const remainder = numerator % denominator;
  if (remainder === 0n || rounding === 'floor') return quotient;
  if (rounding === 'ceil') return quotient + 1n;
  return remainder * 2n >= denominator ? quotient + 1n : quotient;
}

/** `minor * bps / 10000` (1 bp = 0.01 %), rounded as asked. */
export function applyBasisPoints(minor: number, bps: number, rounding: Rounding): number {
  if (!Number.isInteger(bps) || bps < 0) throw new RangeError(`basis points must be a non-negative integer, got ${bps}`);
  return toSafe(divide(BigInt(minor) * BigInt(bps), 10_000n, rounding));
}

/** A positive decimal string ("92.5012") as an integer scaled by 10^scale. */
export function parseRate(rate: string): { value: bigint; scale: number } {
  const match = DECIMAL.exec(rate);
  if (!match) throw badRequest(`Rate "${rate}" is not a decimal number`);
  const fraction = match[2] ?? '';
  const value = BigInt((match[1] ?? '0') + fraction);
  if (value === 0n) throw badRequest('Rate must be positive');
  return { value, scale: fraction.length };
}

/** An exchange rate: 1 `base` costs `rate` units of `quote` (e.g. 1 USDT = "92.50" RUB). */
export interface ExchangeRate {
  readonly base: string;
  readonly quote: string;
  readonly rate: string;
}

/** Converts an amount between the two currencies of `rate`, in either direction, rounding as asked. */
export function convert(amount: Money, to: string, rate: ExchangeRate, rounding: Rounding): Money {
  const { value, scale } = parseRate(rate.rate);
  const fromScale = 10n ** BigInt(minorUnits(amount.currency));
  const toScale = 10n ** BigInt(minorUnits(to));
  const rateScale = 10n ** BigInt(scale);
  const minor = BigInt(amount.minor);
  if (amount.minor < 0) throw new RangeError('convert expects a non-negative amount');
  if (amount.currency === rate.base && to === rate.quote) {
    return { currency: to, minor: toSafe(divide(minor * value * toScale, rateScale * fromScale, rounding)) };
  }
  if (amount.currency === rate.quote && to === rate.base) {
    return { currency: to, minor: toSafe(divide(minor * rateScale * toScale, value * fromScale, rounding)) };
  }
  throw badRequest(`Rate ${rate.base}/${rate.quote} cannot convert ${amount.currency} to ${to}`);
}

function toSafe(value: bigint): number {
  const result = Number(value);
  if (!Number.isSafeInteger(result)) throw badRequest('Amount is too large');
  return result;
}
