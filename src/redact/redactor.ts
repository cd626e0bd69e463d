import { findEmails } from '../hygiene/email.js';
import { findPans } from '../hygiene/pan.js';
import { findPhones } from '../hygiene/phone.js';

/**
 * The one redaction layer: every piece of evidence, error message and report string goes through
 * it. It masks what it is told is secret (client secrets, tokens, OTP values, personal data of the
 * configured and returned consumers) and what looks sensitive anyway (PANs, JWTs/JWEs, emails,
 * phone numbers, Authorization values). Masked values keep enough to debug.
 */
export class Redactor {
  private readonly secrets = new Set<string>();
  private readonly personal = new Set<string>();
  private readonly otps = new Set<string>();
  private readonly pans = new Set<string>();
  /** The sets longest first, rebuilt only after a set changed: redaction runs far more often than learning. */
  private sortedCache: { secrets: string[]; otps: string[]; personal: string[] } | undefined;

  /** Secrets and tokens: shown as their first 4 characters and length. */
  addSecret(...values: (string | undefined)[]): this {
    for (const v of values) if (v !== undefined && v.length >= 4) this.secrets.add(v);
    this.sortedCache = undefined;
    return this;
  }

  /** Known PANs (even not Luhn-valid ones): shown as BIN + last 4. */
  addPan(...values: (string | undefined)[]): this {
    for (const v of values) if (v !== undefined && v.length >= 10) this.pans.add(v);
    return this;
  }

  /** OTP values: never shown at all. */
  addOtp(...values: (string | undefined)[]): this {
    for (const v of values) if (v !== undefined && v.length >= 1) this.otps.add(v);
    this.sortedCache = undefined;
    return this;
  }

  /** Personal data (names, email, phone, address, date of birth): replaced by `<pii>`. */
  addPersonal(...values: (string | undefined)[]): this {
    for (const v of values) if (v !== undefined && v.trim().length >= 2) this.personal.add(v);
    this.sortedCache = undefined;
    return this;
  }

  /** Learns every string of a personal-information object (e.g. a consumerInfo response); language and country codes are not personal. */
  learnPersonalInfo(value: unknown): this {
    if (typeof value === 'string') this.addPersonal(value);
    else if (Array.isArray(value)) value.forEach((v) => this.learnPersonalInfo(v));
    else if (typeof value === 'object' && value !== null) {
      for (const [k, v] of Object.entries(value)) if (k !== 'language' && k !== 'countryCode') this.learnPersonalInfo(v);
    }
    return this;
  }

  text(input: string): string {
    let out = input;
    // Longest first, so a secret containing another is masked whole.
    const sorted = (this.sortedCache ??= { secrets: longestFirst(this.secrets), otps: longestFirst(this.otps), personal: longestFirst(this.personal) });
    for (const s of sorted.secrets) if (out.includes(s)) out = out.split(s).join(maskToken(s));
    for (const p of this.pans) if (out.includes(p)) out = out.split(p).join(maskPan(p));
    for (const s of sorted.otps) if (s.length >= 4) out = out.split(s).join('<otp>');
    for (const s of sorted.personal) out = replaceAllInsensitive(out, s, '<pii>');
    out = out.replace(/\b(Basic|Bearer)\s+[A-Za-z0-9._~+/=-]+/gi, (_m, scheme: string) => `${scheme} <redacted>`);
    out = out.replace(/eyJ[A-Za-z0-9_-]{2,}(?:\.[A-Za-z0-9_-]*){2,4}/g, (m) => `<${m.split('.').length === 5 ? 'jwe' : 'jwt'}:${m.slice(0, 4)}…(${m.length})>`);
    out = replaceSpans(out, findPans(out), (raw) => maskPan(raw));
    out = replaceSpans(out, findEmails(out), () => '<email>');
    out = replaceSpans(out, findPhones(out), () => '<phone>');
    return out;
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

function maskOtpFields(value: unknown, otps: ReadonlySet<string>): unknown {
  if (typeof value === 'string') return otps.has(value) ? '<otp>' : value;
  if (Array.isArray(value)) return value.map((v) => maskOtpFields(v, otps));
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskOtpFields(v, otps)]));
  return value;
}

export function maskToken(value: string): string {
  return `<redacted:${value.slice(0, 4)}…(${value.length})>`;
}

/** `4111 1111 1111 1111` -> `4111 11** **** 1111`: BIN and last four kept, separators kept. */
export function maskPan(raw: string): string {
  const digits = raw.replace(/\D/g, '').length;
  let seen = 0;
  return raw.replace(/\d/g, (d) => {
    seen++;
    return seen <= 6 || seen > digits - 4 ? d : '*';
  });
}

function replaceSpans(text: string, spans: readonly { start: number; end: number }[], by: (raw: string) => string): string {
  let out = text;
  for (const s of [...spans].sort((a, b) => b.start - a.start)) out = out.slice(0, s.start) + by(out.slice(s.start, s.end)) + out.slice(s.end);
  return out;
}

/** Whole-word, case-insensitive: a two-letter name must not eat the middle of another word. */
function replaceAllInsensitive(text: string, needle: string, by: string): string {
  const escaped = needle.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return text.replace(new RegExp(`(?<![\\p{L}\\p{N}_])${escaped}(?![\\p{L}\\p{N}_])`, 'giu'), by);
}

function longestFirst(values: ReadonlySet<string>): string[] {
  return [...values].sort((a, b) => b.length - a.length);
}
