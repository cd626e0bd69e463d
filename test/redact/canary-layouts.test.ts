import { describe, expect, it } from 'vitest';
import { Redactor } from '../../src/core/redact/redactor.js';

/**
 * Issue 12 items 2, 3, 7, 17: every layout a canary can take in evidence text goes through
 * Redactor.text, .json and .headers and none survives; ordinary texts a person needs to understand
 * a failure survive unchanged.
 */

const SECRET = 'canary/secret+Se=cr3t-0xC0FFEE';
// A bearer token with `/` (PHP writes it `\/` in JSON by default).
const TOKEN = 'tok/Zq9vX2/Lm4nP8rT1wYb';
const PERSON = { firstName: 'Zebulon', lastName: 'Quixote-Farrow', street: '12 Rue des Lilas' };
const EMAIL = 'zebulon.quixote@example.org';
const PHONE = '+33 6 12 34 56 78';

const SECRET_LAYOUTS: Record<string, string> = {
  raw: SECRET,
  'JSON-escaped': JSON.stringify(SECRET).slice(1, -1),
  'slash as \\/': SECRET.replaceAll('/', '\\/'),
  'slash as \\u002f': SECRET.replaceAll('/', '\\u002f'),
  'slash as \\u002F': SECRET.replaceAll('/', '\\u002F'),
  'URL-encoded': encodeURIComponent(SECRET),
  'form-encoded': new URLSearchParams({ s: SECRET }).toString().slice(2),
  'URL userinfo': `https://client:${encodeURIComponent(SECRET)}@issuer.example/token`,
  'token raw': TOKEN,
  'token as PHP \\/': TOKEN.replaceAll('/', '\\/'),
  'token URL-encoded': encodeURIComponent(TOKEN),
  'token as base64url': TOKEN.replaceAll('/', '_'),
};

/** [layout, text, digits that must not survive in clear (the middle of the PAN)] */
const PAN_LAYOUTS: [string, string, string][] = [
  ['plain', '5555555555554444', '555555555555'],
  ['spaced', '5555 5555 5555 4444', '5555 5555'],
  ['dashed', '5555-5555-5555-4444', '5555-5555'],
  ['dotted', '5555.5555.5555.4444', '5555.5555'],
  ['double-spaced amex', '3782  822463  10005', '822463'],
  ['tab-separated', '4111\t1111\t1111\t1111', '1111\t1111'],
  ['JSON-escaped tabs', JSON.stringify('4111\t1111\t1111\t1111').slice(1, -1), '1111\\t1111'],
  ['URL-encoded spaces', '4111%201111%201111%201111', '1111%201111'],
  ['known PAN in pairs', '60 11 11 11 11 11 11 17', '11 11 11 11 11'],
  ['known non-Luhn PAN', '4000-0000-0000-0001', '0000-0000'],
];

const PERSONAL_LAYOUTS: Record<string, string> = {
  email: EMAIL,
  'email URL-encoded': encodeURIComponent(EMAIL),
  phone: PHONE,
  'learned phone, national form': '06 00 11 12 22',
  'learned phone, with its country code': '+34 600-111-222',
  'learned phone, URL-encoded': encodeURIComponent('+34 600 111 222'),
  'learned date of birth, compact': '19800229',
  'first name': PERSON.firstName,
  'first name upper case': PERSON.firstName.toUpperCase(),
  'last name': PERSON.lastName,
  street: PERSON.street,
  'street URL-encoded': encodeURIComponent(PERSON.street),
  'street form-encoded': new URLSearchParams({ a: PERSON.street }).toString().slice(2),
  'name after an escaped newline': `note\\n${PERSON.firstName}`,
};

const HARMLESS = [
  'Tarjeta no existe',
  'rsp_codigo',
  'the bearer token is missing',
  'Bearer scheme required',
  'Basic authentication failed',
  'ERROR: relation "cards" does not exist',
  'at Object.<anonymous> (/srv/app/db.js:42:13)',
  'amount 1.234.567,89 EUR on 2026-12-03 15:31:49',
  'request 123e4567-e89b-12d3-a456-426614174000',
  'ip 192.168.100.200, version 4.11.1111',
];

function redactor(): Redactor {
  const r = new Redactor().addSecret(SECRET, TOKEN).addPan('6011111111111117', '4000000000000001');
  // What a target answers: the consumer's fields are learned, the error texts beside them are not.
  r.learnPersonalInfo({
    firstName: PERSON.firstName,
    lastName: PERSON.lastName,
    email: EMAIL,
    residencyAddress: { line1: PERSON.street, state: 'CA', countryCode: 'ES' },
    mobilePhoneNumber: { countryCode: '+34', phoneNumber: '600111222' },
    dateOfBirth: '1980-02-29',
    language: 'es-ES',
  });
  r.learnPersonalInfo({ error: 'Tarjeta no existe', rsp_codigo: 'rsp_codigo', message: 'no' });
  return r;
}

const ALL: [string, string, string][] = [
  ...Object.entries(SECRET_LAYOUTS).map(([k, v]): [string, string, string] => [`secret ${k}`, v, v]),
  ...PAN_LAYOUTS.map(([k, v, middle]): [string, string, string] => [`PAN ${k}`, v, middle]),
  ...Object.entries(PERSONAL_LAYOUTS).map(([k, v]): [string, string, string] => [k, v, v]),
];

describe('canary layouts', () => {
  const r = redactor();

  it.each(ALL)('text: %s is masked', (_layout, value, mustNotSurvive) => {
    const out = r.text(`before ${value} after`);
    expect(out).not.toContain(mustNotSurvive);
    expect(out).toMatch(/^before .+ after$/);
  });

  it.each(ALL)('json: %s is masked', (_layout, value, mustNotSurvive) => {
    const out = r.json({ evidence: { body: value, nested: [`x ${value}`] } });
    expect(out).not.toContain(mustNotSurvive);
    expect(out).not.toContain(JSON.stringify(mustNotSurvive).slice(1, -1));
  });

  it.each(ALL)('headers: %s is masked', (_layout, value, mustNotSurvive) => {
    const out = r.headers({
      'x-debug': value,
      location: `https://issuer.example/cb?v=${value}`,
      referer: `https://issuer.example/cb?v=${encodeURIComponent(value)}`,
    });
    for (const v of Object.values(out)) {
      expect(v).not.toContain(mustNotSurvive);
      expect(v).not.toContain(encodeURIComponent(mustNotSurvive));
    }
  });

  it('keeps enough to debug: a secret in any layout shows as its first 4 characters and length', () => {
    expect(r.text(SECRET_LAYOUTS['slash as \\/'] ?? '')).toBe(`<redacted:cana…(${SECRET.length})>`);
    expect(r.text('5555.5555.5555.4444')).toBe('5555.55**.****.4444');
    // A URL-encoded stretch holding something to mask is shown decoded: readable, masked.
    expect(r.text('4111%201111%201111%201111')).toBe('4111 11** **** 1111');
  });

  it.each(HARMLESS)('survives unchanged: %s', (text) => {
    expect(r.text(text)).toBe(text);
    expect(r.json({ error: text })).toBe(JSON.stringify({ error: text }));
    expect(r.headers({ 'x-error': text })['x-error']).toBe(text);
  });

  it('a target error text is kept but still scanned for PANs, tokens, emails and phones', () => {
    // Values this run never learned: only the detectors can find them.
    const email = 'someone.else@bank.example';
    const phone = '+44 7700 900123';
    const token = 'AbCdEf0123456789xyzTOKEN';
    const sql = `ERROR: duplicate key value violates unique constraint "cards_pan_key" DETAIL: Key (pan)=(4111111111111111), owner ${email}, tel ${phone}, auth Bearer ${token}`;
    const out = r.text(sql);
    expect(out).toContain('ERROR: duplicate key value violates unique constraint "cards_pan_key" DETAIL: Key (pan)=(411111******1111)');
    for (const leak of ['4111111111111111', email, phone, token]) expect(out).not.toContain(leak);
    expect(out).toContain('<email>');
    expect(out).toContain('<phone>');
  });

  it('masks a known token written with a raw "+" in a URL stretch that also holds an encoded PAN', () => {
    const token = 'AbC+dEf0123456789xyzQ';
    const out = new Redactor().addSecret(token).text(`https://x.example/cb/${token}%2F4111%201111%201111%201111`);
    expect(out).not.toContain('dEf0123456789xyzQ');
    expect(out).not.toContain('1111%201111');
    expect(out).toContain(`<redacted:AbC+…(${token.length})>`);
  });

  it('masks the credential after Bearer/Basic in text, keeps the words of prose', () => {
    expect(r.text('Authorization: Bearer abc123def456')).toBe('Authorization: Bearer <redacted>');
    expect(r.text('Authorization: Basic dXNlcjpwYXNz')).toBe('Authorization: Basic <redacted>');
    expect(r.text('send a bearer token in the Bearer scheme (bearer token-based)')).toBe('send a bearer token in the Bearer scheme (bearer token-based)');
  });

  it('masks a short personal value only where it is a whole JSON string', () => {
    expect(r.text('{"state":"CA"}')).toBe('{"state":"<pii>"}');
    expect(r.text('CA is fine; Tarjeta no existe')).toBe('CA is fine; Tarjeta no existe');
  });
});

describe('hostile texts', () => {
  // A pattern that backtracks over a long run is quadratic: 200 KB of one character class took
  // 80 s before URL stretches were matched whole. The bound is generous for a shared machine.
  it.each([
    ['letters', 'a'.repeat(200_000)],
    ['digits', '1'.repeat(200_000)],
    ['percent-escapes', '%41'.repeat(70_000)],
    ['digit groups', '4111 '.repeat(40_000)],
    ['dotted digits', '1.'.repeat(100_000)],
    ['JSON escapes', '\\u0020'.repeat(30_000)],
    ['at signs', 'a@'.repeat(100_000)],
  ])('redacts 200 KB of %s in linear time', (_name, text) => {
    const started = performance.now();
    redactor().text(text);
    expect(performance.now() - started).toBeLessThan(3_000);
  });
});
