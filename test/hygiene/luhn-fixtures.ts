// Test-only helpers. The check digit is computed with a lookup table, on
// purpose a different algorithm from src/core/hygiene/luhn.ts, so that a bug there
// cannot be mirrored here and cancel out.
import fc from 'fast-check';

const DOUBLED = [0, 2, 4, 6, 8, 1, 3, 5, 7, 9] as const;

export function luhnCheckDigit(body: string): string {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    const d = Number(body[body.length - 1 - i]);
    sum += i % 2 === 0 ? (DOUBLED[d] ?? Number.NaN) : d;
  }
  return String((10 - (sum % 10)) % 10);
}

/** Luhn-valid digit strings of 13..19 digits. */
export const luhnPan = fc
  .integer({ min: 13, max: 19 })
  .chain((length) => fc.array(fc.integer({ min: 0, max: 9 }), { minLength: length - 1, maxLength: length - 1 }))
  .map((body) => {
    const digits = body.join('');
    return digits + luhnCheckDigit(digits);
  })
  // 13 digits starting with 1 or 2 read as an epoch-millisecond timestamp, never a PAN (see pan.ts).
  .filter((pan) => !(pan.length === 13 && /^[12]/.test(pan)));

export const letters = fc.stringMatching(/^[A-Za-z]{0,10}$/);

/** Fixed seed: property runs are deterministic and failures reproducible. */
export const PROPERTY_OPTIONS = { seed: 20240917, numRuns: 500 } as const;
