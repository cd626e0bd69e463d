import { findEmails } from '../hygiene/email.js';
import { findPrintedPans } from '../hygiene/pan.js';
import { findPhones } from '../hygiene/phone.js';
import { escapeRegex, layoutSource } from './layouts.js';

/** D1's longest personal field (an address line, an email) is far shorter. */
export const MAX_PERSONAL_LENGTH = 256;

/**
 * The one redaction layer: every piece of evidence, error message and report string goes through
 * it. The rule (issue 12): mask what is personal or secret, keep what a person needs to understand
 * the failure.
 * - Masked, in every layout the text can hold them (raw, JSON-escaped incl. `\/` and `\uXXXX`,
 *   URL- and form-encoded, base64 or base64url for base64 values): known secrets and tokens, OTPs,
 *   known PANs in any grouping, and the personal data learned for the consumers.
 * - Masked wherever they appear, known or not: Luhn-valid PANs (plain, spaced, dashed, dotted,
 *   tab-separated, escaped), JWTs/JWEs, emails, international phone numbers, and the credential
 *   after `Basic`/`Bearer` when it looks like one (prose such as "bearer token" stays).
 * - Kept: everything else, the target's own error texts included ("Tarjeta no existe", an error
 *   code, a stack trace or an SQL error), which are scanned by the detectors above but not hidden.
 * Personal data is what a consumer's personal fields hold (names, email, phone, address, date of
 *   birth; see learnPersonalInfo), never an error body's texts. A personal value of 4+ characters
 *   is masked as a whole word in any case; of 3, as a whole word in its own case; of 1-2 (a state
 *   "CA", a title "Dr") only as a whole JSON string value: a short value must not eat ordinary words.
 * Masked values keep enough to debug (PAN: BIN + last 4; secret: first 4 characters and length).
 */
export class Redactor {
  private readonly secrets = new Set<string>();
  private readonly personal = new Set<string>();
  private readonly otps = new Set<string>();
  private readonly pans = new Set<string>();
  /** The compiled patterns, longest value first, rebuilt only after a set grew (re-teaching a known value is the common case): redaction runs far more often than learning. */
  private compiledCache: Compiled | undefined;
  /**
   * Each value's pattern, built once: a rebuild after learning one more token only compiles that
   * token (a simulator issuing tokens while recording findings rebuilt every secret's pattern each time).
   */
  private readonly patterns = new Map<string, unknown>();

  /** Secrets and tokens: shown as their first 4 characters and length. */
  addSecret(...values: (string | undefined)[]): this {
    const known = this.secrets.size;
    for (const v of values) if (v !== undefined && v.length >= 4) this.secrets.add(v);
    if (this.secrets.size !== known) this.compiledCache = undefined;
    return this;
  }

  /** Known PANs (even not Luhn-valid ones): shown as BIN + last 4, in any grouping. */
  addPan(...values: (string | undefined)[]): this {
    const known = this.pans.size;
    for (const v of values) if (v !== undefined && v.replace(/\D/g, '').length >= 10) this.pans.add(v.replace(/\D/g, ''));
    if (this.pans.size !== known) this.compiledCache = undefined;
    return this;
  }

  /** OTP values: never shown at all. */
  addOtp(...values: (string | undefined)[]): this {
    const known = this.otps.size;
    for (const v of values) if (v !== undefined && v.length >= 1) this.otps.add(v);
    if (this.otps.size !== known) this.compiledCache = undefined;
    return this;
  }

  /**
   * Personal data (names, email, phone, address, date of birth): replaced by `<pii>`. A value
   * longer than any personal field D1 has is not one (a whole body that is not JSON): learning it
   * would mask nothing useful and cost a pattern hundreds of KB long.
   */
  addPersonal(...values: (string | undefined)[]): this {
    const known = this.personal.size;
    for (const v of values) if (v !== undefined && v.trim().length >= 1 && v.length <= MAX_PERSONAL_LENGTH) this.personal.add(v.trim());
    if (this.personal.size !== known) this.compiledCache = undefined;
    return this;
  }

  /**
   * Learns the personal values of a consumerInfo / personalInformation object (or of a whole
   * response body holding one): the strings under personal keys (names, email, phone number, date
   * of birth, address lines, zip; see PERSONAL_KEY) and everything inside a personalInformation,
   * consumerInfo, address or phone object but language and country codes. Not learned: any other
   * key's text (an error body's "error", "rsp_codigo", "name" or "title" is the target's message,
   * not personal data). A top-level unknown field of a consumerInfo body is not learned either;
   * the detectors (PAN, email, phone) still scan it.
   */
  learnPersonalInfo(value: unknown): this {
    // A bare string is a personal value the caller picked out itself.
    if (typeof value === 'string') this.addPersonal(value);
    else this.learnUnder(value, false);
    return this;
  }

  /** `all`: inside a personal key or container, where every string but a code is personal. */
  private learnUnder(value: unknown, all: boolean): void {
    if (typeof value === 'string') {
      if (all) this.addPersonal(value);
    } else if (Array.isArray(value)) {
      for (const v of value) this.learnUnder(v, all);
    } else if (typeof value === 'object' && value !== null) {
      for (const [k, v] of Object.entries(value)) {
        if (!NOT_PERSONAL_KEY.test(k)) this.learnUnder(v, all || PERSONAL_CONTAINER_KEY.test(k) || PERSONAL_KEY.test(k));
      }
    }
  }

  text(input: string): string {
    return this.redact(input, 0);
  }

  private redact(input: string, depth: number): string {
    let out = input;
    const c = (this.compiledCache ??= compile(this.secrets, this.otps, this.pans, this.personal, this.patterns));
    // Known values first, on the text as written (their patterns cover every encoding): decoding
    // first could turn a token's "+" into a space. Longest first, so a secret containing another is masked whole.
    for (const s of c.secrets) if (out.includes(s.hint)) out = out.replace(s.re, () => maskToken(s.value));
    for (const p of c.pans) out = out.replace(p.re, (m) => (/^[0-9 .\t-]+$/.test(m) ? maskPan(m) : maskPan(p.value)));
    for (const o of c.otps) if (out.includes(o.hint)) out = out.replace(o.re, '<otp>');
    const lower = out.toLowerCase();
    for (const p of c.personal) if (lower.includes(p.hint)) out = out.replace(p.re, p.short ? '$1<pii>$1' : '<pii>');
    // A URL- or form-encoded stretch is also read decoded, so the detectors see "+33 6..." in
    // "%2B33%206..." (twice, for double encoding). Where that finds something, the stretch is shown
    // decoded and masked: readable, and nothing of it in clear.
    if (depth < 2 && out.includes('%')) out = out.replace(URL_STRETCH, (m) => (PERCENT_ESCAPE.test(m) ? this.decodedStretch(m, depth) : m));
    out = out.replace(AUTH_CREDENTIAL, (m, scheme: string, credential: string) => (looksLikeCredential(credential) ? `${scheme} <redacted>` : m));
    out = out.replace(/eyJ[A-Za-z0-9_-]{2,}(?:\.[A-Za-z0-9_-]*){2,4}/g, (m) => `<${m.split('.').length === 5 ? 'jwe' : 'jwt'}:${m.slice(0, 4)}…(${m.length})>`);
    out = replaceSpans(out, findPrintedPans(out), (raw) => maskPan(raw));
    out = replaceSpans(out, findEmails(out), () => '<email>');
    out = replaceSpans(out, findPhones(out), () => '<phone>');
    return out;
  }

  private decodedStretch(stretch: string, depth: number): string {
    let decoded: string;
    try {
      decoded = decodeURIComponent(stretch.replace(/\+/g, ' '));
    } catch {
      return stretch;
    }
    const masked = this.redact(decoded, depth + 1);
    // Shown decoded, but a quote, backslash or control character stays encoded: the stretch may sit in a JSON string.
    return masked === decoded ? stretch : [...masked].map((c) => (c === '"' || c === '\\' || c < ' ' ? encodeURIComponent(c) : c)).join('');
  }

  headers(headers: Readonly<Record<string, string>>): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(headers)) {
      const name = k.toLowerCase();
      if (name === 'authorization' || name === 'proxy-authorization') out[name] = `${v.split(' ')[0] ?? ''} <redacted>`.trim();
      else if (name === 'cookie' || name === 'set-cookie') out[name] = '<redacted>';
      else out[name] = this.text(v);
    }
    return out;
  }

  /** An OTP is short: mask known OTP values inside a JSON value by key, whatever their length. */
  json(value: unknown): string {
    return this.text(JSON.stringify(maskOtpFields(value, this.otps)));
  }
}

// Keys whose string values are personal wherever they stand: consumerInfo's names, email, phone
// number, date of birth and address lines, and their usual spellings elsewhere. Not "name", "title",
// "city" or "state" on their own: an error body's "name" (NotFoundError), a problem+json "title" or
// a consumer "state" (BLOCKED) is the target's text; inside an address or consumerInfo they count.
const PERSONAL_KEY =
  /^(?:firstName|middleName|lastName|fullName|givenName|familyName|surname|email|emailAddress|dateOfBirth|birthDate|phoneNumber|msisdn|line\d|addressLine\d?|street|zipCode|postalCode)$/i;
// Keys whose whole content is personal: the consumer's information, an address, a phone number.
const PERSONAL_CONTAINER_KEY = /^(?:personalInformation|consumerInfo|residencyAddress|address|mobilePhoneNumber)$/i;
// Codes, not personal: a language or country code identifies no one.
const NOT_PERSONAL_KEY = /^(?:language|countryCode)$/i;

// A maximal stretch of URL text (what ends a URL part delimits it); matched whole, so the scan is
// linear, and decoded only when it holds a percent-escape.
const URL_STRETCH = /[^\s"'<>&?=#,;]+/g;
const PERCENT_ESCAPE = /%[0-9A-Fa-f]{2}/;

// The credential after an auth scheme in text (headers are masked whole by headers()).
const AUTH_CREDENTIAL = /\b(Basic|Bearer)\s+([A-Za-z0-9._~+/=-]+)/gi;

/**
 * Whether what follows "Bearer"/"Basic" in text is a credential rather than prose ("bearer token",
 * "Bearer scheme", "basic authentication"): 8+ characters, and not a plain (possibly hyphenated)
 * lower-case or capitalised word. Known secrets are masked before this, whatever they look like.
 */
function looksLikeCredential(value: string): boolean {
  const word = value.replace(/[.]+$/, '');
  if (word.length < 8) return false;
  return !/^[A-Za-z][a-z]*(?:-[a-z]+)*$/.test(word);
}

/**
 * `hint`: a part every layout of the value keeps as is (its longest run of ASCII letters and digits,
 * which neither JSON nor URL encoding escapes, nor base64's twin alphabet changes), tested with
 * includes() before the costly regex.
 */
interface Compiled {
  readonly secrets: { value: string; re: RegExp; hint: string }[];
  readonly pans: { value: string; re: RegExp }[];
  readonly otps: { re: RegExp; hint: string }[];
  readonly personal: { re: RegExp; short: boolean; hint: string }[];
}

function hintOf(value: string): string {
  let longest = '';
  for (const run of value.match(/[A-Za-z0-9]+/g) ?? []) if (run.length > longest.length) longest = run;
  return longest;
}

// A personal value stands as a word: no letter, digit or `_` around it, except the letter that ends
// an escape before it ("\nJohn", "%20John", "\u00a0John" still mask John).
const WORD_BEFORE = String.raw`(?<=^|[^\p{L}\p{N}_]|%[0-9A-Fa-f]{2}|\\[nrtbf]|\\u[0-9A-Fa-f]{4})`;
const WORD_AFTER = String.raw`(?![\p{L}\p{N}_])`;
// Any separator a PAN is written with between two of its digits, escapes included.
const PAN_GAP = String.raw`(?:[ \t.\-_/+]|%20|\\t|\\u0020){0,3}`;
// A personal value made of digits (a phone number, a date of birth): matched by its digits.
const NUMBER_LIKE = /^\+?[0-9][0-9 ()./-]*[0-9]$/;
const DIGIT_GAP = String.raw`(?:[ \t.\-()/+]|%20|\\u0020){0,3}`;
const DIALLING_PREFIX = String.raw`(?:(?:\+|%2[bB]|00)?[0-9]{1,3}(?:[ .-]|%20)?)?(?:\(0\) ?)?0?`;

function compile(
  secrets: ReadonlySet<string>,
  otps: ReadonlySet<string>,
  pans: ReadonlySet<string>,
  personal: ReadonlySet<string>,
  patterns: Map<string, unknown>,
): Compiled {
  // Keyed by kind and value: the same text may be both a secret and a personal value.
  const once = <T>(kind: string, value: string, build: (value: string) => T): T => {
    const key = `${kind}\u0000${value}`;
    let p = patterns.get(key) as T | undefined;
    if (p === undefined) patterns.set(key, (p = build(value)));
    return p;
  };
  return {
    secrets: longestFirst(secrets).map((value) => once('secret', value, () => ({ value, re: new RegExp(layoutSource(value), 'g'), hint: hintOf(value) }))),
    pans: [...pans].map((value) => once('pan', value, () => ({ value, re: new RegExp(`(?<![0-9])${[...value].join(PAN_GAP)}(?![0-9])`, 'g') }))),
    otps: longestFirst(otps)
      .filter((s) => s.length >= 4)
      .map((s) => once('otp', s, () => ({ re: new RegExp(layoutSource(s), 'g'), hint: hintOf(s) }))),
    personal: longestFirst(personal).map((value) => once('personal', value, personalPattern)),
  };
}

/** The rule in the class comment: how strictly a personal value must stand alone to be masked. */
function personalPattern(value: string): { re: RegExp; short: boolean; hint: string } {
  const length = [...value].length;
  const hint = hintOf(value).toLowerCase();
  const digits = value.replace(/[^0-9]/g, '');
  if (NUMBER_LIKE.test(value) && digits.length >= 6) {
    // A phone number or date of birth, in any grouping, with a trunk 0 or country code before it.
    const re = new RegExp(`(?<![0-9])${DIALLING_PREFIX}${[...digits].join(DIGIT_GAP)}(?![0-9])`, 'g');
    return { re, short: false, hint: '' };
  }
  // Capture group 1: the quote (or escaped quote) around a short value, put back around `<pii>`.
  if (length <= 2) return { re: new RegExp(`(\\\\?")${escapeRegex(value)}\\1`, 'gu'), short: true, hint };
  return { re: new RegExp(`${WORD_BEFORE}${layoutSource(value)}${WORD_AFTER}`, length >= 4 ? 'giu' : 'gu'), short: false, hint };
}

function maskOtpFields(value: unknown, otps: ReadonlySet<string>): unknown {
  if (typeof value === 'string') return otps.has(value) ? '<otp>' : value;
  if (Array.isArray(value)) return value.map((v) => maskOtpFields(v, otps));
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskOtpFields(v, otps)]));
  return value;
}

export function maskToken(value: string): string {
  return `<redacted:${value.slice(0, 4)}…(${value.length})>`;
}

/**
 * `4111 1111 1111 1111` -> `4111 11** **** 1111`: BIN and last four kept, separators kept. The
 * digits of an escaped separator (`%20`, `\u0020`) are no PAN digits.
 */
export function maskPan(raw: string): string {
  const DIGIT_OR_ESCAPE = /\\u[0-9A-Fa-f]{4}|%[0-9A-Fa-f]{2}|[0-9]/g;
  const digits = [...raw.matchAll(DIGIT_OR_ESCAPE)].filter((m) => m[0].length === 1).length;
  let seen = 0;
  return raw.replace(DIGIT_OR_ESCAPE, (d) => {
    if (d.length > 1) return d;
    seen++;
    return seen <= 6 || seen > digits - 4 ? d : '*';
  });
}

function replaceSpans(text: string, spans: readonly { start: number; end: number }[], by: (raw: string) => string): string {
  let out = text;
  for (const s of [...spans].sort((a, b) => b.start - a.start)) out = out.slice(0, s.start) + by(out.slice(s.start, s.end)) + out.slice(s.end);
  return out;
}

function longestFirst(values: ReadonlySet<string>): string[] {
  return [...values].sort((a, b) => b.length - a.length);
}
