/**
 * Audit entry ids sort by time: 12 hex digits of the epoch milliseconds (fixed width, so string
 * order is time order until the year 10889), a dash, then 8 random bytes so two entries written
 * in the same millisecond, by any instance, never share an id. "Newest first" is `ORDER BY c.id DESC`.
 */
import { randomBytes } from 'node:crypto';

const TIME_DIGITS = 12;

export function auditEntryId(at: Date, random: Buffer = randomBytes(8)): string {
  const ms = at.getTime();
  if (!Number.isInteger(ms) || ms < 0) throw new RangeError(`Cannot make an audit id for ${String(at)}`);
  return `${ms.toString(16).padStart(TIME_DIGITS, '0')}-${random.toString('hex')}`;
}

/** The time an id was made at (the inverse of `auditEntryId`'s first part). */
export function auditEntryTime(id: string): Date {
  return new Date(Number.parseInt(id.slice(0, TIME_DIGITS), 16));
}
