import { definePattern } from '../src/core/rulebook/pattern.js';

/**
 * D1's field patterns, copied exactly from the seeds and fact tables (JSON escaping removed).
 * Patterns with \p{...} need the `u` flag. Each names its source; fields reference these
 * constants, so one pattern is written once.
 */

const LATIN = 'AZaz';
const DIGITS = '09';
const ID_FORBIDDEN = ['@', '.', ' ', '/', '+', '!', 'é', '#'];

/** consumerId, operationId, x-correlation-id (v2): ^[A-Za-z0-9_-]{1,64}$ */
export const ID64 = definePattern({
  name: 'ID64',
  regex: /^[A-Za-z0-9_-]{1,64}$/,
  source: 'seed 004 components.schemas.consumerId; seed 001 consumerId, x-correlation-id',
  classes: { upper: 'AZ', lower: 'az', digit: DIGITS, punctuation: '_-' },
  forbidden: ID_FORBIDDEN,
  validSamples: ['cons-0001', 'a', 'A'.repeat(64)],
});

/** cardId, cardProductId: ^[A-Za-z0-9_-]{1,48}$ */
export const ID48 = definePattern({
  name: 'ID48',
  regex: /^[A-Za-z0-9_-]{1,48}$/,
  source: 'seed 004 components.schemas.cardId; inbound.md §4a, §4b',
  classes: { upper: 'AZ', lower: 'az', digit: DIGITS, punctuation: '_-' },
  forbidden: ID_FORBIDDEN,
  validSamples: ['crd_h2otddwm5uwujlye3qyxmjkpha'],
});

/** x-user-id: ^[A-Za-z0-9_-]{1,15}$ */
export const ID15 = definePattern({
  name: 'ID15',
  regex: /^[A-Za-z0-9_-]{1,15}$/,
  source: 'seed 001 x-user-id',
  classes: { upper: 'AZ', lower: 'az', digit: DIGITS, punctuation: '_-' },
  forbidden: ID_FORBIDDEN,
});

/** Names and titles: letters and digits of any script, Arabic block, and ` ,.'_#;:/-`. */
const NAME_CLASSES = {
  latin: LATIN,
  latinExtended: 'éüñçøß',
  greek: 'Ωλ',
  cyrillic: 'Жд',
  cjk: '王李𠀋',
  arabic: 'محمدعلي',
  arabicDigits: '٣٤',
  digit: DIGITS,
  punctuation: " ,.'_#;:/-",
} as const;
const NAME_FORBIDDEN = ['@', '!', '?', '"', '(', ')', '<', '>', '$', '%', '&', '*', '+', '=', '~', '|', '\\'];

export const NAME128 = definePattern({
  name: 'NAME128',
  // Written exactly as seed 004 spells it (`\/` included), so the seed-coverage test can compare the text.
  // eslint-disable-next-line no-useless-escape
  regex: /^[\p{L}\p{N}\u0600-\u06FF ,.'_#;:\/-]{1,128}$/u,
  source: 'seed 004 consumerInfo.firstName/middleName/lastName/residencyAddress.city/state (outbound.md R-NAME128)',
  classes: NAME_CLASSES,
  forbidden: NAME_FORBIDDEN,
  validSamples: ['John', 'Smith', 'محمد', 'Łukasz', "O'Brien-Smith", '王小明'],
});

export const NAME40 = definePattern({
  name: 'TITLE40',
  // Written exactly as seed 004 spells it (`\/` included), so the seed-coverage test can compare the text.
  // eslint-disable-next-line no-useless-escape
  regex: /^[\p{L}\p{N}\u0600-\u06FF ,.'_#;:\/-]{1,40}$/u,
  source: 'seed 004 consumerInfo.title (outbound.md R-TITLE40)',
  classes: NAME_CLASSES,
  forbidden: NAME_FORBIDDEN,
  validSamples: ['Mr.', 'Dr'],
});

export const ADDRESS256 = definePattern({
  name: 'ADDRESS256',
  // Written exactly as seed 004 spells it (`\/` included), so the seed-coverage test can compare the text.
  // eslint-disable-next-line no-useless-escape
  regex: /^[\p{L}\p{N}\u0600-\u06FF ,.'_#;:\/-]{1,256}$/u,
  source: 'seed 004 consumerInfo.residencyAddress.line1/line2',
  classes: NAME_CLASSES,
  forbidden: NAME_FORBIDDEN,
  validSamples: ['1 Rue de la Paix', 'Apt #4, 2nd floor'],
});

export const ZIP = definePattern({
  name: 'ZIP',
  regex: /^[0-9a-zA-Z ]{1,10}$/,
  source: 'seed 004 consumerInfo.residencyAddress.zipCode',
  classes: { upper: 'AZ', lower: 'az', digit: DIGITS, space: ' ' },
  forbidden: ['-', '_', '.', '#', 'é'],
  validSamples: ['75002', 'SW1A 1AA'],
});

export const COUNTRY_ALPHA2 = definePattern({
  name: 'COUNTRY_ALPHA2',
  regex: /^[A-Z]{2}$/,
  source: 'seed 004 consumerInfo.residencyAddress.countryCode (ISO 3166-1 alpha-2)',
  invalidSamples: ['fr', 'F1', 'Fr'],
  validSamples: ['FR', 'US', 'MA'],
});

export const LANGUAGE = definePattern({
  name: 'LANGUAGE',
  regex: /^[a-z]{2}-[a-zA-Z]{2}$/,
  source: 'seed 004 consumerInfo.language (outbound.md R-LANG)',
  invalidSamples: ['EN-US', 'en_US', 'enUS-', 'e1-US', 'En-US'],
  validSamples: ['en-US', 'fr-FR', 'ar-MA'],
});

export const DATE_OF_BIRTH = definePattern({
  name: 'DATE_OF_BIRTH',
  regex: /^\d{4}-(0[1-9]|1[012])-(0[1-9]|[12][0-9]|3[0-1])$/,
  source: 'seed 004 consumerInfo.dateOfBirth (outbound.md R-DOB)',
  invalidSamples: ['1990-13-01', '1990-00-10', '1990-01-32', '90-01-25', '1990/01/25', '25-01-1990'],
  validSamples: ['1990-01-25'],
});

export const EMAIL = definePattern({
  name: 'EMAIL',
  regex: /^[a-zA-Z0-9_+&*-]+(?:\.[a-zA-Z0-9_+&*-]+)*@(?:[a-zA-Z0-9-]+\.)+[a-zA-Z]{2,15}$/,
  source: 'seed 004 consumerInfo.email',
  invalidSamples: ['john.example.com', 'john@example', '@example.com', 'jo hn@example.com', 'john@example.c', 'john..smith@example.com'],
  validSamples: ['john.smith@example.com', 'a+b@mail.example.org'],
});

export const PHONE_COUNTRY_CODE = definePattern({
  name: 'PHONE_COUNTRY_CODE',
  regex: /^\+[0-9]{1,10}$/,
  source: 'seed 004 consumerInfo.mobilePhoneNumber.countryCode',
  invalidSamples: ['33', '+', '+3a', '0033'],
  validSamples: ['+33', '+1'],
});

export const PHONE_NUMBER = definePattern({
  name: 'PHONE_NUMBER',
  regex: /^[0-9]{1,14}$/,
  source: 'seed 004 consumerInfo.mobilePhoneNumber.phoneNumber',
  classes: { digit: '0123456789' },
  forbidden: ['+', ' ', '-', 'a', '.'],
  validSamples: ['612345678'],
});

/** Delete consumer reason (and other operation reasons): ^[a-zA-Z0-9 ]{1,64}$ */
export const REASON64 = definePattern({
  name: 'REASON64',
  regex: /^[a-zA-Z0-9 ]{1,64}$/,
  source: 'seed 001 Delete consumer body.reason',
  classes: { upper: 'AZ', lower: 'az', digit: DIGITS, space: ' ' },
  forbidden: ['.', ',', '!', '-', '_', "'", 'é'],
  validSamples: ['customer was contacted on June 28'],
});

/** The JWE plaintext `pan`: digits only, up to 19. */
export const PAN_DIGITS = definePattern({
  name: 'PAN_DIGITS',
  regex: /^[0-9]{1,19}$/,
  source: 'inbound.md §4c plaintext pan ("Up to 19"); IN-JWE-006',
  classes: { digit: '0123456789' },
  forbidden: [' ', '-', 'a'],
  validSamples: ['1234567891234567'],
});

/** The JWE plaintext `exp`: 4 digits MMYY (IN-JWE-006: exactly 4 digits; the month range is IN-JWE-007). */
export const EXPIRY_MMYY = definePattern({
  name: 'EXPIRY_MMYY',
  regex: /^[0-9]{4}$/,
  source: 'inbound.md §4c plaintext exp (MMYY); IN-JWE-006',
  invalidSamples: ['12/3', '12-3', 'ab12'],
  validSamples: ['1223'],
});

/** HTTP Basic credentials as D1 sends them to the issuer's token endpoint. */
export const BASIC_AUTH = definePattern({
  name: 'BASIC_AUTH',
  regex: /^Basic [A-Za-z0-9+/_-]+={0,2}$/,
  source: 'outbound.md E1 header authorization (example `Basic aXNfdGJhbmswMToxMjM=`)',
  invalidSamples: ['Bearer aXNfdGJhbmswMToxMjM=', 'basic aXNfdGJhbmswMToxMjM=', 'Basic', 'aXNfdGJhbmswMToxMjM='],
  validSamples: ['Basic aXNfdGJhbmswMToxMjM='],
});

/** Compact JWS: three base64url parts (the D1 token assertion). */
export const COMPACT_JWS = definePattern({
  name: 'COMPACT_JWS',
  regex: /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/,
  source: 'inbound.md §1b (header.payload.signature); IN-AUTH-004',
  invalidSamples: ['abc.def', 'abc.def.ghi.jkl', 'not a jwt', 'abc..ghi'],
});

/** Compact JWE: five base64url parts, the encrypted key part empty for ECDH-ES direct agreement allowed. */
export const COMPACT_JWE = definePattern({
  name: 'COMPACT_JWE',
  regex: /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/,
  source: 'inbound.md §4c (JWE compact serialization, 5 parts); IN-JWE-001',
  invalidSamples: ['a.b.c', 'a.b.c.d', 'a.b.c.d.e.f', '{"pan":"4111111111111111"}'],
});

/**
 * `Authorization: Bearer <token>` on every issuer -> D1 call (RFC 6750 b64token). The scheme name
 * is case-insensitive (RFC 9110 §11.1): spelled out per letter, so the Rust regex of the pacts
 * reads it the same way.
 */
export const BEARER = definePattern({
  name: 'BEARER',
  regex: /^[Bb][Ee][Aa][Rr][Ee][Rr] [A-Za-z0-9._~+/-]+=*$/,
  source: 'inbound.md §1c ("Authorization: Bearer <token>"); RFC 9110 §11.1 (case-insensitive scheme); IN-AUTH-016',
  invalidSamples: ['Basic abc', 'Bearer', 'abc.def.ghi', 'Bearer  abc', 'Bearerabc'],
  validSamples: ['Bearer eyJhbGciOiJFUzI1NiJ9.e30.c2ln', 'bearer abc.def.ghi'],
});
