/**
 * A requisite's full account number (card, SBP phone, account) is stored sealed (envelope
 * encryption, shared/crypto), bound to its requisite: the associated data is `requisite:<id>`.
 * The order keeps a copy of the sealed value from assignment, so the payer's view opens it
 * without reading the requisite again. Documents written before encryption carry the plaintext
 * `accountNumber`; they are still read, and sealed on their next owner write.
 */
import type { KeyRing } from '../../crypto/key-ring';
import { open, seal, type SealedValue } from '../../crypto/envelope';

const aadOf = (requisiteId: string) => `requisite:${requisiteId}`;

export const sealRequisiteNumber = (keys: KeyRing, requisiteId: string, accountNumber: string): SealedValue =>
  seal(keys, { accountNumber }, aadOf(requisiteId));

/** The full number, or undefined when the requisite has none stored (seeded display-only requisites). */
export function openRequisiteNumber(
  keys: KeyRing,
  requisiteId: string,
  doc: { sealedNumber?: SealedValue | undefined; accountNumber?: string | undefined },
): string | undefined {
  if (doc.sealedNumber) return open<{ accountNumber: string }>(keys, doc.sealedNumber, aadOf(requisiteId)).accountNumber;
  return doc.accountNumber;
}
