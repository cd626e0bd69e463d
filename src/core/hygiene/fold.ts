import type { Span } from './spans.js';

// Case/accent folding that keeps a map back to the original offsets: folding
// can change string length (e.g. "ß" -> "ss", "İ" -> "i̇"), so a plain
// indexOf on the folded text would report wrong positions.
export interface Folded {
  text: string;
  /** For each UTF-16 unit of `text`: the original [start, end) of the code point it came from. */
  starts: number[];
  ends: number[];
}

export function foldWithMap(text: string, foldCodePoint: (cp: string) => string): Folded {
  let out = '';
  const starts: number[] = [];
  const ends: number[] = [];
  let offset = 0;
  for (const cp of text) {
    const folded = foldCodePoint(cp);
    // A code point that folds away (a combining mark) belongs to the previous
    // character: a match ending on "E" of "E\u0301" must cover the accent too.
    if (folded.length === 0 && ends.length > 0) ends[ends.length - 1] = offset + cp.length;
    for (let k = 0; k < folded.length; k++) {
      starts.push(offset);
      ends.push(offset + cp.length);
    }
    out += folded;
    offset += cp.length;
  }
  return { text: out, starts, ends };
}

/** Every occurrence of an (already folded) needle, mapped back to original offsets. */
export function findFolded(folded: Folded, needle: string): Span[] {
  const spans: Span[] = [];
  if (needle.length === 0) return spans;
  let at = folded.text.indexOf(needle);
  while (at !== -1) {
    const start = folded.starts[at];
    const end = folded.ends[at + needle.length - 1];
    if (start !== undefined && end !== undefined) spans.push({ start, end });
    at = folded.text.indexOf(needle, at + 1);
  }
  return spans;
}

export function lowerCaseFold(cp: string): string {
  return cp.toLowerCase();
}

// Letters that NFD/NFKD do not decompose but that people still type without
// the "accent" (Søren -> Soren, Łukasz -> Lukasz, Straße -> Strasse).
const EXTRA_FOLDS: Readonly<Record<string, string>> = {
  ß: 'ss',
  æ: 'ae',
  œ: 'oe',
  ø: 'o',
  ł: 'l',
  đ: 'd',
  ð: 'd',
  þ: 'th',
  ı: 'i',
  ς: 'σ',
};

const COMBINING_MARKS = /\p{M}/gu;

/** Case- and accent-insensitive fold: NFKD, strip combining marks, lower-case, fold a few extra letters. */
export function nameFold(cp: string): string {
  const lower = cp.normalize('NFKD').replace(COMBINING_MARKS, '').toLowerCase();
  let out = '';
  for (const c of lower) out += EXTRA_FOLDS[c] ?? c;
  return out.replace(COMBINING_MARKS, '');
}
