import { findEmails } from './email.js';
import { findFolded, foldWithMap, lowerCaseFold } from './fold.js';
import { findNames, type NameMatch } from './names.js';
import { findPanDerived } from './pan-derived.js';
import { findPans } from './pan.js';
import { findPhones } from './phone.js';
import { byPosition, dropContained } from './spans.js';

export type HygieneKind = 'pan' | 'pan-derived' | 'email' | 'phone' | 'name';

/** Personal data known for the consumer/card under test (e.g. returned by the issuer). */
export interface HygieneContext {
  pans?: readonly string[];
  names?: readonly string[];
  phones?: readonly string[];
  emails?: readonly string[];
  /** How names are matched (default substring; see findNames). */
  nameMatch?: NameMatch;
}

export interface HygieneFinding {
  kind: HygieneKind;
  start: number;
  end: number;
  /** Human explanation. Never contains the matched value or any part of the personal data. */
  detail: string;
  /** For a PAN-like run: whether it is one of the known PANs (certain) or only looks like one (heuristic). */
  known?: boolean;
}

const ALGORITHM_LABELS: Readonly<Record<string, string>> = {
  sha256: 'SHA-256',
  sha1: 'SHA-1',
  md5: 'MD5',
  sha512: 'SHA-512',
};

const PLAIN_DERIVED_DETAILS: Readonly<Record<string, string>> = {
  'pan-digits': 'the digits of a known test PAN',
  'pan-reversed': 'the reversed digits of a known test PAN',
  'bin-last4': 'BIN followed by the last four digits of a known test PAN',
  'last4-bin': 'last four digits followed by the BIN of a known test PAN',
  'bin-last4-separated': 'BIN and last four digits of a known test PAN, separated',
  'masked-pan': 'masked form of a known test PAN (BIN and last four digits in clear)',
  'pan-ascii-hex': 'hex encoding of a known test PAN',
};

/** Detail for a pan-derived kind; built from fixed words only, never from the value. */
export function panDerivedDetail(kind: string): string {
  const plain = PLAIN_DERIVED_DETAILS[kind];
  if (plain !== undefined) return plain;
  if (kind.startsWith('pan-base64')) return 'base64 encoding of a known test PAN';
  const [algorithm = '', encoding = '', ...rest] = kind.split('-');
  const label = ALGORITHM_LABELS[algorithm];
  if (label === undefined) return 'value derived from a known test PAN';
  const truncated = rest.includes('truncated') ? 'truncated ' : '';
  if (encoding === 'hex') return `${truncated}${label} hex of a known test PAN`;
  return `${truncated}${label} digest of a known test PAN, ${encoding}-encoded`;
}

const EMAIL_LOCAL_MIN = 6;

function knownEmailNeedles(emails: readonly string[]): string[] {
  const needles: string[] = [];
  for (const email of emails) {
    const folded = foldWithMap(email.trim(), lowerCaseFold).text;
    if (folded.length === 0) continue;
    needles.push(folded);
    // The local part alone ("john.smith") is as personal as the address.
    const local = folded.split('@')[0] ?? '';
    if (local !== folded && local.length >= EMAIL_LOCAL_MIN) needles.push(local);
  }
  return needles;
}

function scanEmails(value: string, known: readonly string[]): HygieneFinding[] {
  const findings: HygieneFinding[] = findEmails(value).map((s) => ({ kind: 'email', ...s, detail: 'email address' }));
  const folded = foldWithMap(value, lowerCaseFold);
  const knownSpans = dropContained(knownEmailNeedles(known).flatMap((needle) => findFolded(folded, needle)));
  for (const s of knownSpans) {
    findings.push({ kind: 'email', ...s, detail: 'contains an email address (or its local part) returned for this consumer' });
  }
  return findings;
}

/**
 * The single entry point rules use: every personal-data finding in `value`,
 * sorted by position. Without a context only context-free detectors run
 * (PAN-like digit runs, email addresses, international phone numbers).
 */
export function scanValue(value: string, context: HygieneContext = {}): HygieneFinding[] {
  const knownPans = new Set((context.pans ?? []).map((p) => p.replace(/[^0-9]/g, '')));
  const findings: HygieneFinding[] = [];

  const pans = findPans(value);
  for (const p of pans) {
    const known = knownPans.has(p.digits);
    findings.push({
      kind: 'pan',
      start: p.start,
      end: p.end,
      detail: `Luhn-valid ${p.digits.length}-digit run (PAN-like)${known ? ', a known test PAN' : ''}`,
      known,
    });
  }
  // A derivation lying inside a PAN finding (e.g. BIN + last 4) adds nothing.
  const insidePan = (s: { start: number; end: number }): boolean => pans.some((p) => p.start <= s.start && s.end <= p.end);
  for (const d of findPanDerived(value, context.pans ?? [])) {
    if (!insidePan(d)) findings.push({ kind: 'pan-derived', start: d.start, end: d.end, detail: panDerivedDetail(d.kind) });
  }

  findings.push(...scanEmails(value, context.emails ?? []));

  for (const p of findPhones(value, context.phones ?? [])) {
    const detail = p.reason === 'known' ? 'contains a phone number returned for this consumer' : 'international phone number (E.164-like)';
    findings.push({ kind: 'phone', start: p.start, end: p.end, detail });
  }

  for (const n of findNames(value, context.names ?? [], context.nameMatch)) {
    findings.push({ kind: 'name', ...n, detail: 'contains a personal name returned for this consumer' });
  }

  return findings.sort(byPosition);
}
