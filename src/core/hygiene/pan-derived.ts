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

/**
 * Every digest needle of every PAN in NEEDLES, by its windows (per run pattern and case folding):
 * one pass over a run tells which needles can match it at all, whatever the number of PANs. Only
 * those are then searched as before. (Needle by needle, a UUID-like id checked against 100 PANs
 * cost ~7 ms, the D1 simulator's largest cost per call.)
 */
interface WindowIndex {
  readonly folded: Map<string, Set<DigestNeedle>>;
  readonly exact: Map<string, Set<DigestNeedle>>;
}
const BY_WINDOW = new Map<RegExp, WindowIndex>();
/** The needles BY_WINDOW holds (one evicted while a call still holds it is searched in full). */
const INDEXED = new WeakSet<DigestNeedle>();

function indexNeedle(d: DigestNeedle, add: boolean): void {
  let index = BY_WINDOW.get(d.runPattern);
  if (index === undefined) BY_WINDOW.set(d.runPattern, (index = { folded: new Map(), exact: new Map() }));
  const byWindow = d.foldCase ? index.folded : index.exact;
  if (add) INDEXED.add(d);
  else INDEXED.delete(d);
  for (const w of d.windows.keys()) {
    let set = byWindow.get(w);
    if (add) {
      if (set === undefined) byWindow.set(w, (set = new Set()));
      set.add(d);
    } else if (set !== undefined) {
      set.delete(d);
      if (set.size === 0) byWindow.delete(w);
    }
  }
}

/**
 * Every plain needle (>= MIN_LENGTH characters) of every PAN in NEEDLES, by its first MIN_LENGTH
 * characters: a text is searched only for the needles one of its windows starts.
 */
const PLAIN_BY_PREFIX = new Map<string, Set<PanDerivation>>();
const PLAIN_INDEXED = new WeakSet<PanDerivation>();

function indexPlain(d: PanDerivation, add: boolean): void {
  const prefix = d.value.slice(0, MIN_LENGTH);
  let set = PLAIN_BY_PREFIX.get(prefix);
  if (add) {
    if (set === undefined) PLAIN_BY_PREFIX.set(prefix, (set = new Set()));
    set.add(d);
    PLAIN_INDEXED.add(d);
  } else {
    PLAIN_INDEXED.delete(d);
    set?.delete(d);
    if (set?.size === 0) PLAIN_BY_PREFIX.delete(prefix);
  }
}

function plainCandidates(text: string): Set<PanDerivation> {
  const out = new Set<PanDerivation>();
  for (let p = 0; p + MIN_LENGTH <= text.length; p++) {
    const hits = PLAIN_BY_PREFIX.get(text.slice(p, p + MIN_LENGTH));
    if (hits !== undefined) for (const d of hits) out.add(d);
  }
  return out;
}

/** A candidate run of the text, and the needles that have a window in it. */
interface Run {
  readonly match: RegExpExecArray;
  readonly candidates: ReadonlySet<DigestNeedle>;
}

/** The text's candidate runs per run pattern: the same for every PAN and digest, so found once per text. */
type Runs = (runPattern: RegExp) => readonly Run[];

function runsOf(text: string): Runs {
  const found = new Map<RegExp, Run[]>();
  return (runPattern) => {
    let runs = found.get(runPattern);
    if (runs === undefined)
      found.set(runPattern, (runs = [...text.matchAll(runPattern)].map((match) => ({ match, candidates: candidatesIn(match[0], runPattern) }))));
    return runs;
  };
}

function candidatesIn(run: string, runPattern: RegExp): Set<DigestNeedle> {
  const out = new Set<DigestNeedle>();
  const index = BY_WINDOW.get(runPattern);
  if (index === undefined) return out;
  for (const [byWindow, chars] of [
    [index.folded, run.toLowerCase()],
    [index.exact, run],
  ] as const) {
    if (byWindow.size === 0) continue;
    for (let p = 0; p + MIN_FRAGMENT <= chars.length; p++) {
      const hits = byWindow.get(chars.slice(p, p + MIN_FRAGMENT));
      if (hits !== undefined) for (const d of hits) out.add(d);
    }
  }
  return out;
}

function findDigest(text: string, runs: Runs, needle: DigestNeedle): PanDerivedMatch[] {
  const { runPattern, encoded, kind, foldCase, windows } = needle;
  const out: PanDerivedMatch[] = [];
  for (const { match: run, candidates } of runs(runPattern)) {
    // No window of this needle in the run: the search below would find nothing.
    if (INDEXED.has(needle) && !candidates.has(needle)) continue;
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
  // Every PAN's needles built (and indexed) before the text's runs are read against the index.
  // A PAN given as its digits is its own key: no need to strip it again on every call.
  const all = pans.map((pan) => NEEDLES.get(pan) ?? needlesFor(panDigits(pan)));
  const runs = runsOf(text);
  const plain = plainCandidates(text);
  // Without a candidate run (most ids are short) no digest can be in the text.
  const digestRuns = runs(HEX_RUN).length > 0 || runs(BASE64_RUN).length > 0;
  for (const needles of all) {
    if (needles === undefined) continue;
    for (const d of needles.plain) if (plain.has(d) || !PLAIN_INDEXED.has(d)) out.push(...findExact(text, d));
    // The BIN is a literal prefix of the pattern: a text without it has no match.
    if (needles.bin !== undefined && text.includes(needles.bin)) out.push(...findBinLast4(text, needles.binLast4));
    if (digestRuns) for (const d of needles.digests) out.push(...findDigest(text, runs, d));
  }
  return dropContained(out);
}

interface PanNeedles {
  readonly plain: readonly PanDerivation[];
  readonly binLast4: RegExp | undefined;
  /** The BIN binLast4 starts with (set with it). */
  readonly bin: string | undefined;
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
    bin: digits.length < 10 ? undefined : digits.slice(0, 6),
    digests,
  };
  if (NEEDLES.size >= NEEDLES_MAX) {
    const oldest = NEEDLES.entries().next();
    if (oldest.done !== true) {
      NEEDLES.delete(oldest.value[0]);
      for (const d of oldest.value[1].digests) indexNeedle(d, false);
      for (const d of oldest.value[1].plain) indexPlain(d, false);
    }
  }
  NEEDLES.set(digits, needles);
  for (const d of digests) indexNeedle(d, true);
  for (const d of needles.plain) indexPlain(d, true);
  return needles;
}
