/**
 * Envelope encryption with AES-256-GCM (node:crypto). Each sealed value gets its own random data
 * key; the data key is encrypted ("wrapped") by the ring's current key-encryption key, whose id
 * is stored beside it. The associated data binds a ciphertext to the document it belongs to
 * (e.g. `requisite:<id>`), so a sealed value copied onto another document does not open there
 * unless the caller names the original.
 *
 * Rotating the KEK re-wraps only the 32-byte data keys (`rewrap`); the ciphertexts stay.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { DomainError } from '../errors';
import type { KeyRing } from './key-ring';

/** A sealed value as stored in a document. All binary fields are base64. */
export interface SealedValue {
  /** Format version. */
  v: 1;
  /** Id of the key-encryption key that wrapped `dk`. */
  kid: string;
  /** The data key wrapped by the KEK: iv (12) | ciphertext (32) | tag (16). */
  dk: string;
  iv: string;
  ct: string;
  tag: string;
}

const ALG = 'aes-256-gcm';

function encrypt(key: Buffer, plaintext: Buffer, aad: string): { iv: Buffer; ct: Buffer; tag: Buffer } {
  const iv = randomBytes(12);
  const cipher = createCipheriv(ALG, key, iv);
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const ct = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return { iv, ct, tag: cipher.getAuthTag() };
}

function decrypt(key: Buffer, iv: Buffer, ct: Buffer, tag: Buffer, aad: string): Buffer {
  const decipher = createDecipheriv(ALG, key, iv);
  decipher.setAAD(Buffer.from(aad, 'utf8'));
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(ct), decipher.final()]);
}

/** 500, not exposed: a document that does not open is an operator problem, never the caller's. */
const unreadable = (why: string) => new DomainError('payment-data-unreadable', `Sealed payment data cannot be opened: ${why}`, 500, {}, false);

function wrapDataKey(ring: KeyRing, dataKey: Buffer): { kid: string; dk: string } {
  // The KEK's id is the associated data of the wrap: a wrapped key cannot be relabelled.
  const { iv, ct, tag } = encrypt(ring.current.key, dataKey, ring.current.id);
  return { kid: ring.current.id, dk: Buffer.concat([iv, ct, tag]).toString('base64') };
}

function unwrapDataKey(ring: KeyRing, sealed: SealedValue): Buffer {
  const kek = ring.byId(sealed.kid);
  if (!kek) throw unreadable(`key ${sealed.kid} is not in the key ring`);
  const raw = Buffer.from(sealed.dk, 'base64');
  try {
    return decrypt(kek.key, raw.subarray(0, 12), raw.subarray(12, raw.length - 16), raw.subarray(raw.length - 16), kek.id);
  } catch {
    throw unreadable('data key does not unwrap');
  }
}

/** Seals a JSON value for the document named by `aad`. */
export function seal(ring: KeyRing, value: unknown, aad: string): SealedValue {
  const dataKey = randomBytes(32);
  const { iv, ct, tag } = encrypt(dataKey, Buffer.from(JSON.stringify(value), 'utf8'), aad);
  return { v: 1, ...wrapDataKey(ring, dataKey), iv: iv.toString('base64'), ct: ct.toString('base64'), tag: tag.toString('base64') };
}

/** Opens a sealed value; throws `payment-data-unreadable` (500) for a wrong key, document or tampering. */
export function open<T>(ring: KeyRing, sealed: SealedValue, aad: string): T {
  const dataKey = unwrapDataKey(ring, sealed);
  try {
    const plain = decrypt(dataKey, Buffer.from(sealed.iv, 'base64'), Buffer.from(sealed.ct, 'base64'), Buffer.from(sealed.tag, 'base64'), aad);
    return JSON.parse(plain.toString('utf8')) as T;
  } catch {
    throw unreadable('ciphertext does not authenticate for this document');
  }
}

/** The same value with its data key wrapped by the ring's current KEK (unchanged if it already is). */
export function rewrap(ring: KeyRing, sealed: SealedValue): SealedValue {
  if (sealed.kid === ring.current.id) return sealed;
  return { ...sealed, ...wrapDataKey(ring, unwrapDataKey(ring, sealed)) };
}
