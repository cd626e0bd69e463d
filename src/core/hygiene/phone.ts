import { byPosition, dropContained } from './spans.js';

export interface PhoneMatch {
  start: number;
  end: number;
  reason: 'e164' | 'known';
}

// International form only: "+" or "00", then 8..15 digits, optionally grouped
// by single spaces, dashes or dots. Plain digit runs are NOT phones: banks use
// numeric customer numbers as ids. "00" must not follow a digit, otherwise any
// zero-padded number ("10012345678") would look like a dialling prefix.
const INTERNATIONAL = /(\+|(?<![0-9])00)([0-9]+(?:[ .-][0-9]+)*)/g;
const MIN_DIGITS = 8;
const MAX_DIGITS = 15;
// "00" collides with zero-padded ids ("0012345678"), so demand more digits.
const MIN_DIGITS_AFTER_00 = 10;
const MIN_KNOWN_DIGITS = 6;

// ITU-T E.164 two-digit country codes; 1 and 7 are the one-digit ones and
// every other prefix is three digits long.
const TWO_DIGIT_CC = new Set([
  '20',
  '27',
  '30',
  '31',
  '32',
  '33',
  '34',
  '36',
  '39',
  '40',
  '41',
  '43',
  '44',
  '45',
  '46',
  '47',
  '48',
  '49',
  '51',
  '52',
  '53',
  '54',
  '55',
  '56',
  '57',
  '58',
  '60',
  '61',
  '62',
  '63',
  '64',
  '65',
  '66',
  '81',
  '82',
  '84',
  '86',
  '90',
  '91',
  '92',
  '93',
  '94',
  '95',
  '98',
]);

/** Splits an international digit string into country code and national number; undefined if it cannot be one. */
export function splitCountryCode(digits: string): { cc: string; national: string } | undefined {
  const first = digits[0];
  if (first === undefined || first === '0') return undefined;
  const ccLength = first === '1' || first === '7' ? 1 : TWO_DIGIT_CC.has(digits.slice(0, 2)) ? 2 : 3;
  return { cc: digits.slice(0, ccLength), national: digits.slice(ccLength) };
}

function plausibleInternational(prefix: string, digits: string): boolean {
  if (digits.length < MIN_DIGITS || digits.length > MAX_DIGITS) return false;
  if (prefix === '00' && digits.length < MIN_DIGITS_AFTER_00) return false;
  const split = splitCountryCode(digits);
  if (split === undefined || split.national.length < 4) return false;
  // NANP (+1) and +7 numbers always have a ten-digit national part: this
  // rejects most "+1..."/"001..." strings that are really counters or amounts.
  if (split.cc === '1' || split.cc === '7') return split.national.length === 10;
  return true;
}

/** Digit strings to look for, for one known phone number as the consumer gave it. */
function knownNeedles(entry: string): string[] {
  const trimmed = entry.trim();
  let digits = trimmed.replace(/[^0-9]/g, '');
  let international = trimmed.startsWith('+');
  if (!international && digits.startsWith('00')) {
    digits = digits.slice(2);
    international = true;
  }
  const needles = [digits];
  // An id may embed only the national part of "+44 7700 900123".
  const national = international ? splitCountryCode(digits)?.national : undefined;
  if (national !== undefined) needles.push(national);
  return needles.filter((n) => n.length >= MIN_KNOWN_DIGITS);
}

function findKnown(text: string, known: readonly string[]): PhoneMatch[] {
  // Project the text onto its digits, remembering where each came from, so
  // "+44 (0) 7700-900-123" style formatting does not hide a known number.
  let projected = '';
  const offsets: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      projected += text[i] ?? '';
      offsets.push(i);
    }
  }
  const out: PhoneMatch[] = [];
  for (const needle of known.flatMap(knownNeedles)) {
    let at = projected.indexOf(needle);
    while (at !== -1) {
      const start = offsets[at];
      const last = offsets[at + needle.length - 1];
      if (start !== undefined && last !== undefined) out.push({ start, end: last + 1, reason: 'known' });
      at = projected.indexOf(needle, at + 1);
    }
  }
  return out;
}

export function findPhones(text: string, known: readonly string[] = []): PhoneMatch[] {
  const out: PhoneMatch[] = [];
  for (const m of text.matchAll(INTERNATIONAL)) {
    const prefix = m[1] ?? '';
    const digits = (m[2] ?? '').replace(/[^0-9]/g, '');
    if (plausibleInternational(prefix, digits)) out.push({ start: m.index, end: m.index + m[0].length, reason: 'e164' });
  }
  // A known number found via both its full and national form: keep the widest.
  out.push(...dropContained(findKnown(text, known)));
  return out.sort(byPosition);
}

/** JSON keys that name a phone number: "phoneNumber", "mobile", "msisdn", "tel"... */
const PHONE_KEY = /"[A-Za-z0-9_-]*(?:phone|mobile|msisdn|tel)[A-Za-z0-9_-]*"\s*:\s*"\+?$/i;

/**
 * Whether a digit run sits where a phone number belongs: inside an international number
 * ("+44 ..." / "0044...", E.164 length), or as the whole string value of a JSON field named like a
 * phone and no longer than E.164's 15 digits. A PAN-like run there is a phone number that happens
 * to pass Luhn (one in ten does), not a clear PAN.
 */
export function inPhoneContext(text: string, span: { start: number; end: number }): boolean {
  const digits = text.slice(span.start, span.end).replace(/[^0-9]/g, '');
  if (digits.length > MAX_DIGITS) return false;
  for (const m of text.matchAll(INTERNATIONAL)) {
    const prefix = m[1] ?? '';
    const all = (m[2] ?? '').replace(/[^0-9]/g, '');
    if (m.index <= span.start && m.index + m[0].length >= span.end && plausibleInternational(prefix, all)) return true;
  }
  return PHONE_KEY.test(text.slice(Math.max(0, span.start - 80), span.start)) && text[span.end] === '"';
}
