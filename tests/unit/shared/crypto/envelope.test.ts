import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { open, rewrap, seal } from '../../../../shared/crypto/envelope';
import { keyEncryptionKey, keyRing, keyRingFromSettings, KeyConfigError } from '../../../../shared/crypto/key-ring';
import { DomainError } from '../../../../shared/errors';

const ring = keyRing(keyEncryptionKey(randomBytes(32)));
const code = (fn: () => unknown) => {
  try {
    fn();
    return undefined;
  } catch (e) {
    return e instanceof DomainError ? e.code : String(e);
  }
};

describe('envelope encryption', () => {
  it('should seal a value that opens only for the same document and key ring', () => {
    const sealed = seal(ring, { accountNumber: '2202206145324411' }, 'requisite:r1');
    assert.equal(sealed.kid, ring.current.id);
    assert.doesNotMatch(JSON.stringify(sealed), /2202206145324411|4411/);
    assert.deepEqual(open(ring, sealed, 'requisite:r1'), { accountNumber: '2202206145324411' });
    assert.equal(code(() => open(ring, sealed, 'requisite:r2')), 'payment-data-unreadable');
    assert.equal(code(() => open(keyRing(keyEncryptionKey(randomBytes(32))), sealed, 'requisite:r1')), 'payment-data-unreadable');
    assert.equal(code(() => open(ring, { ...sealed, ct: Buffer.from('tampered!').toString('base64') }, 'requisite:r1')), 'payment-data-unreadable');
  });

  it('should give every value its own data key', () => {
    const a = seal(ring, 'same', 'x');
    const b = seal(ring, 'same', 'x');
    assert.notEqual(a.dk, b.dk);
    assert.notEqual(a.ct, b.ct);
  });

  it('should rewrap to a new key while the retired one can still open older values', () => {
    const oldKey = keyEncryptionKey(randomBytes(32));
    const sealed = seal(keyRing(oldKey), { n: 1 }, 'doc');
    const rotated = keyRing(keyEncryptionKey(randomBytes(32)), [oldKey]);
    assert.deepEqual(open(rotated, sealed, 'doc'), { n: 1 });
    const rewrapped = rewrap(rotated, sealed);
    assert.equal(rewrapped.kid, rotated.current.id);
    assert.equal(rewrapped.ct, sealed.ct, 'the ciphertext stays; only the data key is re-wrapped');
    assert.deepEqual(open(keyRing(rotated.current), rewrapped, 'doc'), { n: 1 });
  });

  it('should read the ring from the settings and name a bad one', () => {
    const current = randomBytes(32).toString('base64');
    const previous = randomBytes(32).toString('base64');
    const fromSettings = keyRingFromSettings(current, `${previous}, `);
    assert.equal(fromSettings.current.id, keyEncryptionKey(Buffer.from(current, 'base64')).id);
    assert.ok(fromSettings.byId(keyEncryptionKey(Buffer.from(previous, 'base64')).id));
    assert.throws(() => keyRingFromSettings(undefined, undefined), KeyConfigError);
    assert.throws(() => keyRingFromSettings('c2hvcnQ=', undefined), /PAYMENT_DATA_KEY must be 32 bytes/);
  });
});
