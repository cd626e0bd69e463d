import { describe, it, expect } from 'vitest';
import { luhnValid } from '../../src/core/hygiene/luhn.js';
import { luhnCheckDigit } from './luhn-fixtures.js';

describe('luhnValid', () => {
  it.each(['4111111111111111', '5555555555554444', '378282246310005', '6011111111111117', '6799990100000000019', '79927398713'])(
    'accepts Luhn-valid %s',
    (digits) => {
      expect(luhnValid(digits)).toBe(true);
    },
  );

  it.each(['4111111111111112', '1234567891234567', '79927398710', '5555555555554445'])('rejects Luhn-invalid %s', (digits) => {
    expect(luhnValid(digits)).toBe(false);
  });

  it.each(['', '4111 1111 1111 1111', '4111-1111-1111-1111', '41111111111111a1', '４１１１', ' 4111111111111111'])(
    'rejects empty or non-digit input %j',
    (input) => {
      expect(luhnValid(input)).toBe(false);
    },
  );

  it('detects every single-digit error (the property Luhn guarantees)', () => {
    const pan = '4111111111111111';
    for (let i = 0; i < pan.length; i++) {
      for (let d = 0; d <= 9; d++) {
        const mutated = pan.slice(0, i) + String(d) + pan.slice(i + 1);
        expect(luhnValid(mutated)).toBe(mutated === pan);
      }
    }
  });

  it('agrees with the independent test check-digit helper', () => {
    expect(luhnCheckDigit('411111111111111')).toBe('1');
    expect(luhnCheckDigit('679999010000000001')).toBe('9');
  });
});
