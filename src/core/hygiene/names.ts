import { findFolded, foldWithMap, nameFold } from './fold.js';
import { dropContained } from './spans.js';
import type { Span } from './spans.js';

// Name parts are matched as substrings of the folded text, so "john_smith_01",
// "JOHN.SMITH" and "jöhn-smith" all contain "john" and "smith". Substring
// matching is deliberate: an id that contains a name returned for the consumer
// is a finding even inside a longer word ("johnny" contains "john"). Tokens
// shorter than 3 letters (2 for CJK, where a 2-character given name is common)
// are ignored: "li" or "al" would match nearly any identifier.
const NAME_SEPARATORS = /[\s\-‐‑'’ʼ`.,_]+/u;
const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
const MIN_TOKEN = 3;
const MIN_CJK_TOKEN = 2;

function longEnough(token: string): boolean {
  let length = 0;
  for (const _ of token) length++; // code points, not UTF-16 units
  return length >= MIN_TOKEN || (CJK.test(token) && length >= MIN_CJK_TOKEN);
}

/** Folded search needles for one full name: each part, plus all parts joined ("王 伟" -> "王伟"). */
export function nameNeedles(name: string): string[] {
  const tokens = name
    .split(NAME_SEPARATORS)
    .map((t) => foldWithMap(t, nameFold).text)
    .filter((t) => t.length > 0);
  const needles = tokens.filter(longEnough);
  const joined = tokens.join('');
  if (tokens.length > 1 && longEnough(joined)) needles.push(joined);
  return needles;
}

const LETTER = /\p{L}/u;

/**
 * `token`: a name counts only where it stands as a word of the text (no letter right before or
 * after it): "tom-01" names Tom, "customer" does not. For identifiers an issuer generates, where
 * an ordinary word hiding a short name is common and a false finding fails a MUST rule.
 */
export type NameMatch = 'substring' | 'token';

export function findNames(text: string, names: readonly string[], match: NameMatch = 'substring'): Span[] {
  const folded = foldWithMap(text, nameFold);
  const needles = new Set(names.flatMap(nameNeedles));
  const spans: Span[] = [];
  for (const needle of needles) spans.push(...findFolded(folded, needle));
  const standalone = (s: Span) => !LETTER.test(text.slice(Math.max(0, s.start - 1), s.start)) && !LETTER.test(text.slice(s.end, s.end + 1));
  return dropContained(match === 'token' ? spans.filter(standalone) : spans);
}
