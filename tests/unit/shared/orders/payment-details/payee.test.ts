import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { keyEncryptionKey, keyRing } from '../../../../../shared/crypto/key-ring';
import { DomainError } from '../../../../../shared/errors';
import { passesLuhn } from '../../../../../shared/orders/payment-details/luhn';
import { openPayee, sealPayee, validatePayee } from '../../../../../shared/orders/payment-details/payee';

const path = (fn: () => unknown) => {
  try {
    fn();
    return undefined;
  } catch (e) {
    return e instanceof DomainError ? (e.details['errors'] as { path: string }[])[0]?.path : String(e);
  }
};

describe('pay-out payees', () => {
  it('should check card numbers with Luhn', () => {
    assert.equal(passesLuhn('4111111111111111'), true);
    assert.equal(passesLuhn('4111111111111112'), false);
    assert.deepEqual(validatePayee('card', 'RUB', { cardNumber: '4111 1111 1111 1111', holderName: 'A' }), { kind: 'card', number: '4111111111111111', holderName: 'A' });
    assert.equal(path(() => validatePayee('card', 'RUB', { cardNumber: '4111 1111 1111 1112', holderName: 'A' })), 'payee.cardNumber');
    assert.equal(path(() => validatePayee('card', 'RUB', { phone: '+79160001122', holderName: 'A' })), 'payee.cardNumber');
  });

  it('should check SBP phones and account numbers per currency', () => {
    assert.equal(validatePayee('sbp', 'RUB', { phone: '8 (916) 000-11-22', holderName: 'A', bank: 'alfa' }).number, '+79160001122');
    assert.equal(path(() => validatePayee('sbp', 'RUB', { phone: '+49 151 1234567', holderName: 'A', bank: 'alfa' })), 'payee.phone');
    assert.equal(path(() => validatePayee('sbp', 'RUB', { phone: '+79160001122', holderName: 'A' })), 'payee.bank');
    assert.equal(validatePayee('bank_transfer', 'RUB', { accountNumber: '40817 810 0 0000 0001234', holderName: 'A', bank: 'vtb' }).number, '40817810000000001234');
    assert.equal(path(() => validatePayee('bank_transfer', 'RUB', { accountNumber: '12345', holderName: 'A', bank: 'vtb' })), 'payee.accountNumber');
    assert.equal(validatePayee('bank_transfer', 'USD', { accountNumber: 'DE89 3704 0044 0532 0130 00', holderName: 'A', bank: 'chase' }).number, 'DE89370400440532013000');
  });

  it('should store the payee sealed, bound to its order, with a masked copy', () => {
    const keys = keyRing(keyEncryptionKey(randomBytes(32)));
    const payee = validatePayee('card', 'RUB', { cardNumber: '4111111111111111', holderName: 'ANNA K.' });
    const stored = sealPayee(keys, 'demo-a', 'o1', payee);
    assert.equal(stored.displayNumber, '**** 1111');
    assert.doesNotMatch(JSON.stringify(stored.sealed), /4111111111111111|ANNA/);
    assert.deepEqual(openPayee(keys, 'demo-a', 'o1', stored), payee);
    assert.throws(() => openPayee(keys, 'demo-a', 'o2', stored), /cannot be opened/);
  });
});
