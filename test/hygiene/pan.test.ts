import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { luhnValid } from '../../src/core/hygiene/luhn.js';
import { findPans, findPrintedPans, isPan } from '../../src/core/hygiene/pan.js';
import { scanValue } from '../../src/core/hygiene/scan.js';
import { letters, luhnPan, PROPERTY_OPTIONS } from './luhn-fixtures.js';

// 6799990100000000019 is a 19-digit Luhn-valid Maestro test number.
const CANARIES = ['4111111111111111', '5555555555554444', '378282246310005', '6011111111111117', '6799990100000000019'];

function grouped(digits: string, separator: string): string {
  const layout = digits.length === 15 ? [4, 6, 5] : digits.length === 19 ? [4, 4, 4, 4, 3] : [4, 4, 4, 4];
  const parts: string[] = [];
  let at = 0;
  for (const size of layout) {
    parts.push(digits.slice(at, at + size));
    at += size;
  }
  return parts.join(separator);
}

describe('findPans: caught', () => {
  it.each(CANARIES)('finds bare %s with exact offsets', (pan) => {
    expect(findPans(pan)).toEqual([{ start: 0, end: pan.length, digits: pan }]);
  });

  it.each(CANARIES.flatMap((pan) => [grouped(pan, ' '), grouped(pan, '-')]))('finds separated %s over the raw run', (text) => {
    const framed = `pan: ${text}.`;
    expect(findPans(framed)).toEqual([{ start: 5, end: 5 + text.length, digits: text.replace(/[ -]/g, '') }]);
  });

  it('finds a PAN between letters (letters are not a boundary problem)', () => {
    expect(findPans('card4111111111111111x')).toEqual([{ start: 4, end: 20, digits: '4111111111111111' }]);
  });

  it('finds every PAN in a text, in order', () => {
    const text = 'a=4111111111111111&b=5555-5555-5555-4444&c=x378282246310005';
    expect(findPans(text).map((m) => text.slice(m.start, m.end))).toEqual(['4111111111111111', '5555-5555-5555-4444', '378282246310005']);
  });

  it('finds a PAN followed by a separated expiry, and two PANs separated by a space', () => {
    expect(findPans('4111111111111111 1227').map((m) => m.digits)).toEqual(['4111111111111111']);
    expect(findPans('4111 1111 1111 1111 1227').map((m) => [m.start, m.end])).toEqual([[0, 19]]);
    expect(findPans('4111111111111111 5555555555554444').map((m) => m.digits)).toEqual(['4111111111111111', '5555555555554444']);
  });
});

describe('findPans: not caught', () => {
  it.each([
    '4111111111111112', // 16 digits, Luhn-invalid
    '1234567891234567', // 16 digits, Luhn-invalid
    '411111111116', // 12 digits (Luhn-valid, too short)
    '000000000000', // 12 digits
    '41111111111111111111', // 20 digits
    '941111111111111119', // 18 digits, not Luhn-valid as a whole
    '0041111111111111111100', // a PAN inside a longer run: no sliding window
    '4111111111111111111111111111111111', // 34 digits
    '4111  1111  1111  1111', // double spaces split the run into short groups
    '4111--1111--1111--1111', // double dashes, same
    '4111_1111_1111_1111', // underscore is not a PAN separator
    'card_7f3a9c',
    'cons-0001',
    'crd_h2otddwm5uwujlye3qyxmjkpha',
    '123e4567-e89b-12d3-a456-426614174000',
    '0012345678',
  ])('ignores %s', (text) => {
    expect(findPans(text)).toEqual([]);
  });

  it('does not combine arbitrary groups into a PAN inside a longer run', () => {
    // "12 4111111111111111" as a whole is 18 digits and not Luhn-valid; the
    // 16-digit group alone is, so only that group is reported.
    expect(findPans('12 4111111111111111').map((m) => m.start)).toEqual([3]);
    // "41 1111 1111 1111 11" alone would be a PAN (16 Luhn-valid digits), but
    // inside the longer run "9 41 1111 1111 1111 11" (19 digits, not
    // Luhn-valid) its 2-4-4-4-2 layout is not a printed one: not recombined.
    expect(findPans('41 1111 1111 1111 11').map((m) => m.digits)).toEqual(['4111111111111111']);
    expect(findPans('9 41 1111 1111 1111 11')).toEqual([]);
  });
});

describe('isPan', () => {
  it.each(['4111111111111111', '4111 1111 1111 1111', '4111-1111-1111-1111', ' 378282246310005 ', '6799990100000000019'])('accepts %j', (value) => {
    expect(isPan(value)).toBe(true);
  });

  it.each(['card4111111111111111', '4111111111111112', '4111  1111 1111 1111', '-4111111111111111', '411111111116', '41111111111111111111', ''])(
    'rejects %j',
    (value) => {
      expect(isPan(value)).toBe(false);
    },
  );
});

/** Digit count of the longest run of digits joined by single dashes (the PAN candidate definition). */
function longestCandidateRun(s: string): number {
  return Math.max(0, ...[...s.matchAll(/[0-9]+(?:-[0-9]+)*/g)].map((m) => m[0].replace(/-/g, '').length));
}

describe('findPans: epoch-millisecond timestamps', () => {
  it('does not take a Luhn-valid 13-digit timestamp for a PAN, but keeps 13-digit Visa PANs', () => {
    // 1763900000003 (Nov 2025) is Luhn-valid; 4222222222222 is Visa's 13-digit test PAN.
    expect(luhnValid('1763900000003')).toBe(true);
    expect(findPans('corr-1763900000003')).toEqual([]);
    expect(findPans('x 4222222222222 y')).toEqual([{ start: 2, end: 15, digits: '4222222222222' }]);
    expect(isPan('1763900000003')).toBe(false);
  });
});

describe('findPans: properties', () => {
  it('finds every Luhn-valid 13..19-digit PAN embedded between random letters', () => {
    fc.assert(
      fc.property(letters, luhnPan, letters, (before, pan, after) => {
        expect(findPans(before + pan + after)).toEqual([{ start: before.length, end: before.length + pan.length, digits: pan }]);
      }),
      PROPERTY_OPTIONS,
    );
  });

  it('finds every Luhn-valid 16-digit PAN printed in groups of four', () => {
    fc.assert(
      fc.property(
        luhnPan.filter((p) => p.length === 16),
        fc.constantFrom(' ', '-'),
        letters,
        (pan, separator, before) => {
          const text = `${before}:${grouped(pan, separator)}`;
          expect(findPans(text)).toEqual([{ start: before.length + 1, end: text.length, digits: pan }]);
        },
      ),
      PROPERTY_OPTIONS,
    );
  });

  it('never reports a run of more than 19 digits, even with a PAN inside', () => {
    fc.assert(
      fc.property(letters, luhnPan, fc.integer({ min: 1, max: 9 }), letters, (before, pan, pad, after) => {
        const longRun = '7'.repeat(pad) + pan + '7'.repeat(Math.max(0, 20 - pan.length - pad));
        expect(longRun.length).toBeGreaterThan(19);
        expect(findPans(before + longRun + after)).toEqual([]);
      }),
      PROPERTY_OPTIONS,
    );
  });

  // The brief says "whose digit runs are all <= 12 long". Dash-joined groups
  // form one PAN candidate ("4111-1111-1111-1111" matches the id alphabet and
  // IS a PAN), so "digit run" here means a candidate run: digits joined by
  // single dashes, counted without the dashes.
  it('never flags ids ^[A-Za-z0-9_-]{1,64}$ whose candidate runs are <= 12 digits', () => {
    const uniform = fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/);
    const digitHeavy = fc
      .array(fc.oneof(fc.stringMatching(/^[0-9]{1,12}$/), fc.stringMatching(/^[A-Za-z]{1,3}$/), fc.constantFrom('-', '_')), { minLength: 1, maxLength: 12 })
      .map((parts) => parts.join('').slice(0, 64));
    fc.assert(
      fc.property(
        fc.oneof(uniform, digitHeavy).filter((s) => s.length > 0 && longestCandidateRun(s) <= 12),
        (id) => {
          expect(findPans(id)).toEqual([]);
          expect(scanValue(id).filter((f) => f.kind === 'pan')).toEqual([]);
        },
      ),
      PROPERTY_OPTIONS,
    );
  });
});

// Issue 12 item 3: the redactor's wider PAN finder (printed layouts with any separator).
describe('findPrintedPans: caught', () => {
  it.each([
    ['dotted', '5555.5555.5555.4444'],
    ['double-spaced amex', '3782  822463  10005'],
    ['tab-separated', '4111\t1111\t1111\t1111'],
    ['JSON-escaped tabs', '4111\\t1111\\t1111\\t1111'],
    ['JSON-in-JSON tabs', '4111\\\\t1111\\\\t1111\\\\t1111'],
    ['URL-encoded spaces', '4111%201111%201111%201111'],
    ['form-encoded spaces', '4111+1111+1111+1111'],
    ['\\u0020 escapes', '4111\\u00201111\\u00201111\\u00201111'],
    ['single spaces (as findPans)', '4111 1111 1111 1111'],
    ['plain', '6799990100000000019'],
  ])('finds a %s PAN over the raw text', (_name, text) => {
    const framed = `pan: ${text}.`;
    expect(findPrintedPans(framed).map((m) => framed.slice(m.start, m.end))).toEqual([text]);
  });

  it('finds every Luhn-valid PAN printed in groups with any of the separators', () => {
    fc.assert(
      // No card number starts with 0 (ISO/IEC 7812); a run starting 00 reads as an international phone number.
      fc.property(
        luhnPan.filter((p) => (p.length === 16 || p.length === 15) && !p.startsWith('0')),
        fc.constantFrom(' ', '  ', '\t', '.', '-', '%20', '\\t'),
        letters,
        (pan, separator, before) => {
          const text = `${before}:${grouped(pan, separator)}`;
          const found = findPrintedPans(text);
          expect(found.map((m) => m.digits)).toEqual([pan]);
          expect(found[0]?.end).toBe(text.length);
        },
      ),
      PROPERTY_OPTIONS,
    );
  });
});

describe('findPrintedPans: not caught', () => {
  it.each([
    '2026-12-03 15:31:49',
    '2026.12.03',
    '1.234.567.890.123,45 EUR',
    '9 234 567 890 123',
    '+33 6 12 34 56 78',
    '+44 20 7946 0958',
    '123e4567-e89b-12d3-a456-426614174000',
    '192.168.100.200',
    'v4.11.1111.111',
    '4111.1111.1111.1112', // printed layout, not Luhn-valid
    '41.11.11.11.11.11.11.11', // Luhn-valid digits, no printed layout
    '00000000-0000-1000-99a0-000000000000', // a UUID whose leading digit groups pass Luhn
  ])('ignores %s', (text) => {
    expect(findPrintedPans(text)).toEqual([]);
  });

  it('ignores dates, amounts, E.164 phone numbers and UUIDs (property)', () => {
    const date = fc.date({ min: new Date('1970-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((d) => d.toISOString());
    const amount = fc.integer({ min: 0, max: 2 ** 48 }).map((n) => `${n.toLocaleString('de-DE')},${String(n % 100).padStart(2, '0')}`);
    const phone = fc.stringMatching(/^\+[1-9][0-9]{7,13}$/).map((p) => p.replace(/(\d{2})(?=\d)/g, '$1 '));
    const uuid = fc.uuid();
    fc.assert(
      fc.property(fc.oneof(date, amount, phone, uuid), (text) => {
        expect(findPrintedPans(text)).toEqual([]);
      }),
      PROPERTY_OPTIONS,
    );
  });
});
