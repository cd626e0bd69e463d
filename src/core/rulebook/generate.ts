import fc from 'fast-check';
import type { FieldMeta, TextHint } from './fields.js';
import { codePoints } from './fields.js';
import { allowedChars, type PatternDef } from './pattern.js';
import type { MessageDef } from './message.js';
import { ITEM } from './walk.js';

export interface GenerateOptions {
  /** Profiles in force: their mandatory fields are always generated. */
  readonly profiles?: readonly string[];
  /** Dotted paths that must be present (their ancestors too), e.g. for a mutation below them. */
  readonly forcePresent?: ReadonlySet<string>;
  /** `random`: each optional field present or absent; `all`: every optional field present; `none`: only what is required. */
  readonly optional?: 'random' | 'all' | 'none';
}

const ALNUM = [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'];
const DIGIT = [...'0123456789'];
const LETTERS_SPACE = [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz '];
const B64URL = [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-'];

/** A string of exactly `n` code points that walks through every allowed class (the boundary values). */
export function boundaryString(chars: readonly string[], n: number, offset = 0): string {
  let out = '';
  for (let i = 0; i < n; i++) out += chars[(i + offset) % chars.length] ?? 'a';
  return out;
}

function unitString(chars: readonly string[], min: number, max: number): fc.Arbitrary<string> {
  return fc.string({ unit: fc.constantFrom(...chars), minLength: min, maxLength: max });
}

function within(min: number | undefined, max: number | undefined) {
  return (s: string) => {
    const n = codePoints(s);
    return (min === undefined || n >= min) && (max === undefined || n <= max);
  };
}

/** Characters a value of this text field may be built from (used for boundaries and too-long values). */
export function charsFor(pattern: PatternDef | undefined, hint: TextHint | undefined): readonly string[] {
  if (pattern?.classes) return allowedChars(pattern);
  if (hint === 'digits' || hint === 'currency-numeric') return DIGIT;
  if (hint === 'words') return LETTERS_SPACE;
  return ALNUM;
}

function hintArb(hint: TextHint | undefined, min: number, max: number): fc.Arbitrary<string> {
  switch (hint) {
    case 'uuid':
      return fc.uuid();
    case 'iso-datetime':
      // D1's example shape: 2022-06-16T06:28:02.492Z.
      return fc.date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2035-12-31T23:59:59Z'), noInvalidDate: true }).map((d) => d.toISOString());
    case 'currency-alpha':
      return fc.constantFrom('EUR', 'USD', 'GBP', 'JPY', 'MAD');
    case 'currency-numeric':
      return fc.constantFrom('978', '840', '826', '392', '504');
    case 'digits':
      return unitString(DIGIT, Math.max(min, 1), Math.min(max, 12));
    case 'words':
      return unitString(LETTERS_SPACE, Math.max(min, 1), Math.min(max, 40));
    case 'jws':
      return fc.tuple(unitString(B64URL, 8, 40), unitString(B64URL, 8, 80), unitString(B64URL, 8, 86)).map((p) => p.join('.'));
    case 'jwe':
      return fc
        .tuple(unitString(B64URL, 8, 40), unitString(B64URL, 12, 16), unitString(B64URL, 8, 60), unitString(B64URL, 22, 22))
        .map(([h, iv, ct, t]) => `${h}..${iv}.${ct}.${t}`);
    case 'alnum':
    case undefined:
      return unitString(ALNUM, min, Math.min(max, 64));
  }
}

/** Building a Unicode-class matcher is costly (\\p{L} is a huge set): build each once. */
const matcherCache = new Map<RegExp, fc.Arbitrary<string>>();
function matching(regex: RegExp): fc.Arbitrary<string> {
  let arb = matcherCache.get(regex);
  if (!arb) {
    arb = fc.stringMatching(regex);
    matcherCache.set(regex, arb);
  }
  return arb;
}

const textCache = new WeakMap<object, fc.Arbitrary<string>>();

export function textArb(meta: Extract<FieldMeta, { kind: 'text' }>): fc.Arbitrary<string> {
  let arb = textCache.get(meta);
  if (!arb) {
    arb = buildTextArb(meta);
    textCache.set(meta, arb);
  }
  return arb;
}

function buildTextArb(meta: Extract<FieldMeta, { kind: 'text' }>): fc.Arbitrary<string> {
  const { pattern, hint } = meta;
  const min = meta.min ?? (pattern ? 1 : 0);
  const max = meta.max ?? Math.max(min, 64);
  const ok = within(meta.min, meta.max);
  const choices: fc.Arbitrary<string>[] = [];
  if (pattern?.classes) {
    const chars = allowedChars(pattern);
    // Boundaries first: the shortest and the longest value, each walking through every class.
    choices.push(fc.constantFrom(boundaryString(chars, min), boundaryString(chars, max), boundaryString(chars, Math.min(max, chars.length))));
    choices.push(unitString(chars, min, Math.min(max, 64)));
    choices.push(matching(pattern.regex).filter(ok));
  } else if (pattern) {
    const samples = (pattern.validSamples ?? []).filter(ok);
    if (samples.length > 0) choices.push(fc.constantFrom(...samples));
    choices.push(matching(pattern.regex).filter(ok));
  } else {
    choices.push(hintArb(hint, min, max).filter(ok));
    if (hint === undefined || hint === 'alnum') choices.push(fc.constantFrom(boundaryString(ALNUM, min), boundaryString(ALNUM, max)));
  }
  const examples = (meta.examples ?? []).filter(ok);
  if (examples.length > 0) choices.push(fc.constantFrom(...examples));
  const arb = fc.oneof(...choices);
  const advice = meta.advice ?? [];
  return advice.length === 0 ? arb : arb.filter((v) => advice.every((a) => a.holds(v)));
}

function childPath(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

function forced(options: GenerateOptions, path: string): boolean {
  const fp = options.forcePresent;
  if (!fp) return false;
  for (const p of fp) if (p === path || p.startsWith(`${path}.`)) return true;
  return false;
}

/** A valid value for a field definition: accepted by its schema, its profiles and its advice. */
export function valueArb(meta: FieldMeta, options: GenerateOptions = {}, path = ''): fc.Arbitrary<unknown> {
  const withAdvice = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T> => {
    const advice = meta.advice ?? [];
    return advice.length === 0 ? arb : arb.filter((v) => advice.every((a) => a.holds(v)));
  };
  switch (meta.kind) {
    case 'text':
      return textArb(meta);
    case 'enum':
      return withAdvice(fc.constantFrom(...meta.values));
    case 'number':
      return withAdvice(
        meta.int
          ? fc.integer({ min: meta.min ?? 0, max: meta.max ?? 1_000_000 })
          : fc.double({ min: meta.min ?? 0, max: meta.max ?? 1_000_000, noNaN: true, noDefaultInfinity: true }),
      );
    case 'textOrNumber':
      return withAdvice(fc.oneof(fc.integer({ min: 1, max: 86_400 }).map(String), fc.integer({ min: 1, max: 86_400 })));
    case 'array': {
      const min = Math.max(meta.min ?? 0, forced(options, childPath(path, ITEM)) ? 1 : 0);
      return withAdvice(fc.array(valueArb(meta.item, options, childPath(path, ITEM)), { minLength: min, maxLength: Math.max(min, meta.max ?? 3) }));
    }
    case 'object': {
      const profiles = new Set(options.profiles ?? []);
      const mode = options.optional ?? 'random';
      const mustHave = new Set(Object.keys(meta.required));
      for (const req of meta.profileRequired) if (profiles.has(req.profile)) req.keys.forEach((k) => mustHave.add(k));
      const arbs: Record<string, fc.Arbitrary<unknown>> = {};
      const requiredKeys: string[] = [];
      for (const [k, child] of Object.entries(meta.fields)) {
        const p = childPath(path, k);
        const present = mustHave.has(k) || forced(options, p) || mode === 'all';
        if (!present && mode === 'none') continue;
        arbs[k] = valueArb(child, options, p);
        if (present) requiredKeys.push(k);
      }
      return withAdvice(fc.record(arbs, { requiredKeys }));
    }
  }
}

export function messageArb(msg: MessageDef, options: GenerateOptions = {}): fc.Arbitrary<unknown> {
  return valueArb(msg.field.meta, options);
}
