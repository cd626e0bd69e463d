import { createHash } from 'node:crypto';
import { dropContained } from './spans.js';

// D1: a cardId must be neither the PAN nor derived from it. These are the
// derivations issuers are known to reach for when "anonymising" a PAN; a
// salted/keyed hash cannot be detected this way and is out of scope.

export interface PanDerivation {
  kind: string;
  value: string;
}

export interface PanDerivedMatch {
  kind: string;
  start: number;
  end: number;
}

const ALGORITHMS = ['sha256', 'sha1', 'md5', 'sha512'] as const;
type Algorithm = (typeof ALGORITHMS)[number];

/** Shortest derivation worth looking for; anything shorter matches by chance. */
const MIN_LENGTH = 8;
/** Shortest digest fragment flagged as a truncated hash (16 hex = 64 bits). */
const MIN_FRAGMENT = 16;

function panDigits(pan: string): string {
  return pan.replace(/[^0-9]/g, '');
}

function reversed(digits: string): string {
  let out = '';
  for (let i = digits.length - 1; i >= 0; i--) out += digits[i] ?? '';
  return out;
}

function unpadded(base64: string): string {
  return base64.replace(/=+$/, '');
}

function padded(base64: string): string {
  return base64 + '='.repeat((4 - (base64.length % 4)) % 4);
}

function base64Forms(prefix: string, bytes: Buffer): PanDerivation[] {
  const std = bytes.toString('base64');
  const url = bytes.toString('base64url'); // Node emits base64url without padding
  return [
    { kind: `${prefix}-base64`, value: std },
    { kind: `${prefix}-base64-unpadded`, value: unpadded(std) },
    { kind: `${prefix}-base64url`, value: url },
    { kind: `${prefix}-base64url-padded`, value: padded(url) },
  ];
}

function digest(algorithm: Algorithm, digits: string): Buffer {
  return createHash(algorithm).update(digits, 'ascii').digest();
}

/** Derivations that are plain strings (not digests), searched for exactly. */
function plainDerivations(digits: string): PanDerivation[] {
  const out: PanDerivation[] = [
    { kind: 'pan-digits', value: digits },
    { kind: 'pan-reversed', value: reversed(digits) },
  ];
  if (digits.length >= 10) {
    const bin = digits.slice(0, 6);
    const last4 = digits.slice(-4);
    out.push({ kind: 'bin-last4', value: bin + last4 }, { kind: 'last4-bin', value: last4 + bin });
  }
  out.push({ kind: 'pan-ascii-hex', value: Buffer.from(digits, 'ascii').toString('hex') });
  out.push(...base64Forms('pan', Buffer.from(digits, 'ascii')));
  return out;
}

function dedupeByValue(list: readonly PanDerivation[]): PanDerivation[] {
  const seen = new Set<string>();
  return list.filter((d) => (seen.has(d.value) ? false : (seen.add(d.value), true)));
}

/**
 * Values an issuer might derive from a PAN. BIN + separator + last 4 and masked
 * PANs ("411111******1111") are matched by pattern in findPanDerived instead.
 */
export function panDerivations(pan: string): PanDerivation[] {
  const digits = panDigits(pan);
  if (digits.length === 0) return [];
  const out = plainDerivations(digits);
  for (const algorithm of ALGORITHMS) {
    const bytes = digest(algorithm, digits);
    const hex = bytes.toString('hex');
    out.push({ kind: `${algorithm}-hex`, value: hex }, { kind: `${algorithm}-hex-upper`, value: hex.toUpperCase() });
    out.push(...base64Forms(algorithm, bytes));
  }
  return dedupeByValue(out);
}

function findExact(text: string, derivation: PanDerivation): PanDerivedMatch[] {
  const out: PanDerivedMatch[] = [];
  let at = text.indexOf(derivation.value);
  while (at !== -1) {
    out.push({ kind: derivation.kind, start: at, end: at + derivation.value.length });
    at = text.indexOf(derivation.value, at + 1);
  }
  return out;
}

const MASK_RUN = /^[*xX#•]{2,13}$/u;

function findBinLast4(text: string, pattern: RegExp | undefined): PanDerivedMatch[] {
  if (pattern === undefined) return [];
  return [...text.matchAll(pattern)].map((m) => ({
    kind: MASK_RUN.test(m[1] ?? '') ? 'masked-pan' : 'bin-last4-separated',
    start: m.index,
    end: m.index + m[0].length,
  }));
}

const HEX_RUN = new RegExp(`[0-9a-f]{${MIN_FRAGMENT},}`, 'gi');
const BASE64_RUN = new RegExp(`[A-Za-z0-9+/_-]{${MIN_FRAGMENT},}`, 'g');

/**
 * Finds `encoded` (a digest in some encoding) or any >= 16-char fragment of it
 * inside candidate runs of the text: catches truncated hashes ("first 16 hex
 * chars of the SHA-256") as well as full ones, in one linear pass per run.
 */
interface DigestNeedle {
  readonly runPattern: RegExp;
  readonly encoded: string;
  readonly kind: string;
  readonly foldCase: boolean;
  /** Every MIN_FRAGMENT-long window of `encoded`, with its first offset. */
  readonly windows: ReadonlyMap<string, number>;
}

function digestNeedle(runPattern: RegExp, encoded: string, kind: string, foldCase: boolean): DigestNeedle {
  const windows = new Map<string, number>();
  for (let o = 0; o + MIN_FRAGMENT <= encoded.length; o++) {
    const w = encoded.slice(o, o + MIN_FRAGMENT);
    if (!windows.has(w)) windows.set(w, o);
  }
  return { runPattern, encoded, kind, foldCase, windows };
}

function findDigest(text: string, { runPattern, encoded, kind, foldCase, windows }: DigestNeedle): PanDerivedMatch[] {
  const out: PanDerivedMatch[] = [];
  for (const run of text.matchAll(runPattern)) {
    // Candidate runs are ASCII, so lower-casing keeps offsets intact.
    const chars = foldCase ? run[0].toLowerCase() : run[0];
    let p = 0;
    while (p + MIN_FRAGMENT <= chars.length) {
      const o = windows.get(chars.slice(p, p + MIN_FRAGMENT));
      if (o === undefined) {
        p++;
        continue;
      }
      let length = MIN_FRAGMENT;
      while (p + length < chars.length && o + length < encoded.length && chars[p + length] === encoded[o + length]) length++;
      const whole = o === 0 && length === encoded.length;
      const start = run.index + p;
      let end = start + length;
      // Keep base64 padding that follows a complete digest inside the match.
      while (whole && text[end] === '=') end++;
      out.push({ kind: whole ? kind : `${kind}-truncated`, start, end });
      p += length;
    }
  }
  return out;
}

/**
 * Occurrences of anything derived from the given PANs. Hex digests match
 * case-insensitively; digests also match when truncated to >= 16 characters
 * (any fragment, not only the prefix). Matches nested in a wider match are
 * dropped (the PAN itself also contains its BIN + last 4, for instance).
 */
export function findPanDerived(text: string, pans: readonly string[]): PanDerivedMatch[] {
  const out: PanDerivedMatch[] = [];
  for (const pan of pans) {
    const needles = needlesFor(panDigits(pan));
    if (needles === undefined) continue;
    for (const d of needles.plain) out.push(...findExact(text, d));
    out.push(...findBinLast4(text, needles.binLast4));
    for (const d of needles.digests) out.push(...findDigest(text, d));
  }
  return dropContained(out);
}

interface PanNeedles {
  readonly plain: readonly PanDerivation[];
  readonly binLast4: RegExp | undefined;
  readonly digests: readonly DigestNeedle[];
}

/**
 * What a PAN is searched by, built once per PAN: the D1 simulator checks every identifier of
 * every call against every PAN it has decrypted, and hashing them anew each time dominated its
 * cost. Bounded, oldest first out: a long session must not grow it without end.
 */
const NEEDLES = new Map<string, PanNeedles>();
const NEEDLES_MAX = 4096;

function needlesFor(digits: string): PanNeedles | undefined {
  if (digits.length < MIN_LENGTH) return undefined;
  const cached = NEEDLES.get(digits);
  if (cached) return cached;
  const digests: DigestNeedle[] = [];
  for (const algorithm of ALGORITHMS) {
    const bytes = digest(algorithm, digits);
    digests.push(
      digestNeedle(HEX_RUN, bytes.toString('hex'), `${algorithm}-hex`, true),
      digestNeedle(BASE64_RUN, unpadded(bytes.toString('base64')), `${algorithm}-base64`, false),
      digestNeedle(BASE64_RUN, bytes.toString('base64url'), `${algorithm}-base64url`, false),
    );
  }
  const needles: PanNeedles = {
    plain: dedupeByValue(plainDerivations(digits)).filter((d) => d.value.length >= MIN_LENGTH),
    // Any single non-digit between BIN and last 4, or a run of mask characters.
    binLast4: digits.length < 10 ? undefined : new RegExp(`${digits.slice(0, 6)}([^0-9]|[*xX#•]{2,13})${digits.slice(-4)}`, 'gu'),
    digests,
  };
  if (NEEDLES.size >= NEEDLES_MAX) {
    const oldest = NEEDLES.keys().next();
    if (oldest.done !== true) NEEDLES.delete(oldest.value);
  }
  NEEDLES.set(digits, needles);
  return needles;
}
