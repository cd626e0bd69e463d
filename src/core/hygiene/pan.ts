import { inPhoneContext } from './phone.js';
import { luhnValid } from './luhn.js';

export interface PanMatch {
  start: number;
  end: number;
  digits: string;
}

const MIN_PAN = 13;
const MAX_PAN = 19;

// A maximal run of ASCII digits where groups may be joined by ONE space or ONE
// dash. Being maximal, a run is never preceded or followed by another digit.
const RUN = /[0-9]+(?:[ -][0-9]+)*/g;
const GROUP = /[0-9]+/g;
const WHOLE_VALUE = /^[0-9]+(?:[ -][0-9]+)*$/;

// Group layouts in which issuers actually print PANs. Only used to pick a PAN
// out of a longer separated run (e.g. "4111 1111 1111 1111 1227": PAN then an
// expiry); restricting to these layouts keeps tables of small numbers quiet.
const PRINTED_LAYOUTS = new Set(['4-4-4-1', '4-4-4-2', '4-4-4-3', '4-4-4-4', '4-4-4-4-1', '4-4-4-4-2', '4-4-4-4-3', '4-6-4', '4-6-5']);

interface Group {
  start: number;
  end: number;
  digits: string;
}

/**
 * 13 digits starting with 1 or 2 are what an epoch-millisecond timestamp looks like (2001-2065);
 * no 13-digit card number starts so (13-digit PANs are Visa's, starting with 4). One in ten such
 * timestamps is Luhn-valid: without this, a timestamped correlation id would be a "PAN".
 */
function looksLikeTimestamp(digits: string): boolean {
  return digits.length === 13 && (digits.startsWith('1') || digits.startsWith('2'));
}

function isCandidate(digits: string): boolean {
  return digits.length >= MIN_PAN && digits.length <= MAX_PAN && !looksLikeTimestamp(digits) && luhnValid(digits);
}

function toMatch(groups: readonly Group[]): PanMatch | undefined {
  const first = groups[0];
  const last = groups[groups.length - 1];
  if (first === undefined || last === undefined) return undefined;
  return { start: first.start, end: last.end, digits: groups.map((g) => g.digits).join('') };
}

/**
 * `strictSeparators`: the groups are joined by one space or one dash each, where any grouping of a
 * Luhn-valid 13..19-digit run counts; with other separators (dots, tabs, runs of spaces, escapes)
 * only a printed layout does, so tables, amounts and version numbers stay quiet.
 */
function pansInRun(groups: readonly Group[], strictSeparators = true): PanMatch[] {
  const whole = toMatch(groups);
  if (whole === undefined) return [];
  const wholeLayout = groups.map((g) => g.digits.length).join('-');
  if (isCandidate(whole.digits) && (groups.length === 1 || strictSeparators || PRINTED_LAYOUTS.has(wholeLayout))) return [whole];
  if (groups.length === 1) return [];
  // The run as a whole is not a PAN, but a PAN may sit next to other numbers
  // ("4111111111111111 1227"). Look for group-aligned sub-runs only: a single
  // 13..19-digit group, or groups in a printed layout. Never slide a window
  // over the digits themselves: runs of more than 19 digits stay non-PANs.
  const found: PanMatch[] = [];
  let i = 0;
  while (i < groups.length) {
    let next = i + 1;
    for (let j = Math.min(groups.length, i + 5); j > i; j--) {
      const slice = groups.slice(i, j);
      const layout = slice.map((g) => g.digits.length).join('-');
      if (slice.length > 1 && !PRINTED_LAYOUTS.has(layout)) continue;
      const m = toMatch(slice);
      if (m !== undefined && isCandidate(m.digits)) {
        found.push(m);
        next = j;
        break;
      }
    }
    i = next;
  }
  return found;
}

export function findPans(text: string): PanMatch[] {
  const out: PanMatch[] = [];
  for (const run of text.matchAll(RUN)) {
    // Too short to hold 13 digits: most runs (ports, counts, dates) end here, before any allocation.
    if (run[0].length < MIN_PAN) continue;
    const groups: Group[] = [];
    for (const g of run[0].matchAll(GROUP)) {
      const start = run.index + g.index;
      groups.push({ start, end: start + g[0].length, digits: g[0] });
    }
    out.push(...pansInRun(groups));
  }
  return out;
}

// Separators a PAN is printed or serialised with: up to three spaces or tabs (also as the escapes
// "\t", "\u0020", "%20", "%09", "+" of JSON text, URLs and forms, JSON-in-JSON "\\t" too), or one dot or dash.
const BLANK = String.raw`(?:[ \t+]|%20|%09|\\{1,2}t|\\{1,2}u0020)`;
const LENIENT_SEPARATOR = `(?:${BLANK}{1,3}|[.-])`;
const LENIENT_RUN = new RegExp(String.raw`[0-9]+(?:${LENIENT_SEPARATOR}[0-9]+)*`, 'g');
// Tokenises a lenient run: the separators first, so the digits of "%20" or "\u0020" are no group.
const LENIENT_TOKEN = new RegExp(`(?:${BLANK}|[.-])+|[0-9]+`, 'g');

/**
 * PANs as they appear in evidence, for masking: what findPans finds, plus printed layouts joined by
 * dots, tabs, runs of spaces ("3782  822463  10005") and escaped separators ("4111\t1111...").
 * A Luhn check, the printed layouts and the phone context keep dates, amounts, phone numbers and
 * UUIDs out.
 * Rules keep using findPans: its narrower definition is what their findings were proven on.
 */
export function findPrintedPans(text: string): PanMatch[] {
  const out: PanMatch[] = [];
  for (const run of text.matchAll(LENIENT_RUN)) {
    if (run[0].length < MIN_PAN) continue;
    const groups: Group[] = [];
    let strict = true;
    for (const t of run[0].matchAll(LENIENT_TOKEN)) {
      const start = run.index + t.index;
      if (/^[0-9]+$/.test(t[0])) groups.push({ start, end: start + t[0].length, digits: t[0] });
      else if (t[0] !== ' ' && t[0] !== '-') strict = false;
    }
    out.push(...pansInRun(groups, strict));
  }
  // "+94 64 41 35 11 28 7" is a phone number that happens to pass Luhn: the phone detector masks it.
  // A UUID's all-digit groups ("00000000-0000-1000-99..") are an id, never a PAN.
  const uuids = [...text.matchAll(UUID)].map((u) => ({ start: u.index, end: u.index + u[0].length }));
  return out.filter((m) => !inPhoneContext(text, m) && !uuids.some((u) => u.start <= m.start && m.end <= u.end));
}

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

/** True when the whole value (surrounding whitespace ignored) is one PAN, optionally space/dash separated. */
export function isPan(value: string): boolean {
  const trimmed = value.trim();
  if (!WHOLE_VALUE.test(trimmed)) return false;
  return isCandidate(trimmed.replace(/[ -]/g, ''));
}
