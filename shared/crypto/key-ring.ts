/**
 * Key-encryption keys (KEKs) for envelope encryption of payment details. The current key wraps
 * new data keys; previous keys still unwrap what they wrapped until those documents are re-wrapped
 * (see shared/crypto/README.md, "Rotation"). A key's id is a fingerprint of the key itself, so the
 * id stored on a document names exactly one key without a registry.
 *
 * On Azure the keys come from Key Vault as app settings (`@Microsoft.KeyVault(SecretUri=…)`,
 * resolved by the platform with the app's managed identity); locally from local.settings.json.
 */
import { createHash, randomBytes } from 'node:crypto';

export interface KeyEncryptionKey {
  /** `kek-<16 hex>`: sha256 fingerprint of the key; stored on every sealed value. */
  id: string;
  key: Buffer;
}

export interface KeyRing {
  /** Wraps every new data key. */
  current: KeyEncryptionKey;
  /** The key with this id, or undefined (retired and forgotten: the value is unreadable). */
  byId(id: string): KeyEncryptionKey | undefined;
}

/** Thrown when a key setting is absent or not 32 bytes of base64; names the setting. */
export class KeyConfigError extends Error {
  override name = 'KeyConfigError';
}

export function keyEncryptionKey(key: Buffer): KeyEncryptionKey {
  return { id: `kek-${createHash('sha256').update(key).digest('hex').slice(0, 16)}`, key };
}

function parseKey(value: string, setting: string): KeyEncryptionKey {
  const key = Buffer.from(value.trim(), 'base64');
  if (key.length !== 32) throw new KeyConfigError(`${setting} must be 32 bytes in base64 (openssl rand -base64 32)`);
  return keyEncryptionKey(key);
}

export function keyRing(current: KeyEncryptionKey, previous: readonly KeyEncryptionKey[] = []): KeyRing {
  const all = new Map([current, ...previous].map((k) => [k.id, k]));
  return { current, byId: (id) => all.get(id) };
}

/**
 * The ring from `PAYMENT_DATA_KEY` (current) and `PAYMENT_DATA_KEY_PREVIOUS` (comma-separated,
 * retired keys still needed to read older documents).
 */
export function keyRingFromSettings(current: string | undefined, previous: string | undefined): KeyRing {
  if (!current) throw new KeyConfigError('PAYMENT_DATA_KEY is not set (32 bytes in base64; a Key Vault reference on Azure)');
  const older = (previous ?? '').split(',').map((v) => v.trim()).filter((v) => v.length > 0);
  return keyRing(parseKey(current, 'PAYMENT_DATA_KEY'), older.map((v) => parseKey(v, 'PAYMENT_DATA_KEY_PREVIOUS')));
}

let processRing: KeyRing | undefined;

/**
 * The ring of this process when no one passed one: the settings' keys if present, otherwise a
 * random key that lives as long as the process (unit tests, benches; never deployed: the app's
 * wiring always builds its ring from the settings and fails without them).
 */
export function processKeyRing(): KeyRing {
  processRing ??= process.env.PAYMENT_DATA_KEY
    ? keyRingFromSettings(process.env.PAYMENT_DATA_KEY, process.env.PAYMENT_DATA_KEY_PREVIOUS)
    : keyRing(keyEncryptionKey(randomBytes(32)));
  return processRing;
}
