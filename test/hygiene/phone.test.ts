import { describe, it, expect } from 'vitest';
import { findPans } from '../../src/core/hygiene/pan.js';
import { findPhones, inPhoneContext } from '../../src/core/hygiene/phone.js';

function matched(text: string, known?: readonly string[]): [string, string][] {
  return findPhones(text, known).map((m) => [text.slice(m.start, m.end), m.reason]);
}

describe('findPhones: international numbers', () => {
  it.each([
    ['+447700900123', '+447700900123'],
    ['00447700900123', '00447700900123'],
    ['+33 6 12 34 56 78', '+33 6 12 34 56 78'],
    ['tel:+1-415-555-0132;ext', '+1-415-555-0132'],
    ['+44.7700.900.123', '+44.7700.900.123'],
    ['cons_+4915112345678_x', '+4915112345678'],
    ['+971501234567', '+971501234567'],
  ])('finds %j', (text, expected) => {
    expect(matched(text)).toEqual([[expected, 'e164']]);
  });

  it.each([
    'cons-0001',
    '20240101',
    '0012345678', // zero-padded customer number, not "+1 2345678"
    '447700900123', // no prefix: plain digit runs are customer numbers
    '7700900123',
    '+1234567', // 7 digits: too short
    '+4477009001231234', // 16 digits: too long
    '+0447700900123', // country codes never start with 0
    '+1555123456', // +1 needs a 10-digit national number
    '100447700900123', // "00" inside a digit run is not a prefix
    '00336123456', // "00" + 9 digits: below the stricter "00" minimum
    '+44  7700 900123', // double space ends the number after "44"
    'card_7f3a9c',
  ])('ignores %j', (text) => {
    expect(findPhones(text)).toEqual([]);
  });
});

describe('findPhones: known numbers', () => {
  it('finds a known national number inside an id', () => {
    expect(findPhones('u7700900123', ['7700900123'])).toEqual([{ start: 1, end: 11, reason: 'known' }]);
  });

  it('ignores separators on both sides and maps back to the original offsets', () => {
    expect(matched('id-7700-900-123-x', ['+44 7700 900123'])).toEqual([['7700-900-123', 'known']]);
    expect(matched('id-7700-900-123-x', ['7700 900 123'])).toEqual([['7700-900-123', 'known']]);
  });

  it('matches an international entry by its national part, and a 00 entry like a + entry', () => {
    expect(matched('x07700900123', ['+447700900123'])).toEqual([['7700900123', 'known']]);
    expect(matched('x447700900123', ['00447700900123'])).toEqual([['447700900123', 'known']]);
  });

  it('reports the widest known match once, next to the e164 finding', () => {
    expect(matched('+447700900123', ['+44 7700 900123'])).toEqual([
      ['+447700900123', 'e164'],
      ['447700900123', 'known'],
    ]);
  });

  it('ignores known entries with fewer than 6 digits and numbers not present', () => {
    expect(findPhones('a12345b', ['12345'])).toEqual([]);
    expect(findPhones('u7700900124', ['7700900123'])).toEqual([]);
  });
});

describe('inPhoneContext: a phone number that happens to pass Luhn is not a clear PAN', () => {
  const span = (text: string, digits: string) => {
    const start = text.indexOf(digits);
    return { start, end: start + digits.length };
  };

  it.each([
    ['a JSON field named phoneNumber (14 digits, Luhn-valid)', '{"phoneNumber":"77009001234565"}', '77009001234565'],
    ['a JSON field named msisdn', '{"msisdn":"+4477009001005"}', '4477009001005'],
    ['an international number in text', 'call +4477009001005 now', '4477009001005'],
  ])('%s', (_name, text, digits) => {
    expect(findPans(text).length).toBe(1);
    expect(inPhoneContext(text, span(text, digits))).toBe(true);
  });

  it.each([
    ['a PAN in a field named like a phone, too long for E.164', '{"phoneNumber":"4111111111111111"}', '4111111111111111'],
    ['a 14-digit run in a field that is not a phone', '{"reference":"77009001234565"}', '77009001234565'],
    ['a phone-named field whose value is longer than the run', '{"phone":"77009001234565 x"}', '77009001234565'],
  ])('not: %s', (_name, text, digits) => {
    expect(inPhoneContext(text, span(text, digits))).toBe(false);
  });
});
