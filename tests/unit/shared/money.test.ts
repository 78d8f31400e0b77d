import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { DomainError } from '../../../shared/errors';
import { applyBasisPoints, convert, divide, formatAmount, parseAmount } from '../../../shared/money';

describe('money', () => {
  it('should parse decimal strings into minor units per currency', () => {
    assert.deepEqual(parseAmount('1000.00', 'RUB'), { currency: 'RUB', minor: 100_000 });
    assert.deepEqual(parseAmount('1000.5', 'RUB'), { currency: 'RUB', minor: 100_050 });
    assert.deepEqual(parseAmount('1000', 'JPY'), { currency: 'JPY', minor: 1000 });
    assert.deepEqual(parseAmount('0.000001', 'USDT'), { currency: 'USDT', minor: 1 });
  });

  it('should reject excess precision, signs, exponents and unknown currencies', () => {
    for (const [text, currency] of [['1.001', 'RUB'], ['1.5', 'JPY'], ['-1.00', 'RUB'], ['1e3', 'RUB'], ['01.00', 'RUB'], ['', 'RUB'], ['1.00', 'XXX'], ['99999999999999999999', 'RUB']]) {
      assert.throws(() => parseAmount(text!, currency!), DomainError, `${text} ${currency}`);
    }
  });

  it('should format minor units back to the same decimal string', () => {
    for (const [text, currency] of [['1000.00', 'RUB'], ['0.05', 'USD'], ['7', 'JPY'], ['12.345678', 'USDT']]) {
      assert.equal(formatAmount(parseAmount(text!, currency!)), text);
    }
    assert.equal(formatAmount({ currency: 'RUB', minor: -5 }), '-0.05');
  });

  it('should round explicitly when dividing', () => {
    assert.equal(divide(10n, 4n, 'floor'), 2n);
    assert.equal(divide(10n, 4n, 'ceil'), 3n);
    assert.equal(divide(10n, 4n, 'half-up'), 3n);
    assert.equal(divide(9n, 4n, 'half-up'), 2n);
    assert.equal(divide(8n, 4n, 'ceil'), 2n);
  });

  it('should apply basis points with the asked rounding', () => {
    assert.equal(applyBasisPoints(100_000, 300, 'ceil'), 3000); // 3 % of 1000.00 = 30.00
    assert.equal(applyBasisPoints(333, 150, 'floor'), 4); // 4.995 kopecks
    assert.equal(applyBasisPoints(333, 150, 'ceil'), 5);
    assert.throws(() => applyBasisPoints(100, 1.5, 'floor'), RangeError);
  });

  it('should convert in both directions of a rate', () => {
    const rate = { base: 'USDT', quote: 'RUB', rate: '92.50' };
    // 985.00 RUB / 92.50 = 10.648648... USDT
    assert.deepEqual(convert({ currency: 'RUB', minor: 98_500 }, 'USDT', rate, 'half-up'), { currency: 'USDT', minor: 10_648_649 });
    assert.deepEqual(convert({ currency: 'RUB', minor: 98_500 }, 'USDT', rate, 'floor'), { currency: 'USDT', minor: 10_648_648 });
    assert.deepEqual(convert({ currency: 'USDT', minor: 2_000_000 }, 'RUB', rate, 'half-up'), { currency: 'RUB', minor: 18_500 });
    assert.throws(() => convert({ currency: 'USD', minor: 1 }, 'USDT', rate, 'floor'), DomainError);
  });
});
