/**
 * A D1 pattern as data: the exact regex, where it comes from, and what generators need to
 * produce values inside and just outside it (allowed character classes, forbidden characters,
 * hand-picked invalid samples for structured patterns such as dates).
 */
export interface PatternDef {
  readonly name: string;
  readonly regex: RegExp;
  readonly source: string;
  /** Samples of every allowed character class, for class-based `[...]{m,n}` patterns. */
  readonly classes?: Readonly<Record<string, string>>;
  /** Characters the pattern refuses; a valid value with one of them inserted breaks only the pattern. */
  readonly forbidden?: readonly string[];
  /** Whole values of a valid length that the pattern refuses (structured patterns). */
  readonly invalidSamples?: readonly string[];
  /** Whole values the pattern accepts, including the spec's own examples. */
  readonly validSamples?: readonly string[];
}

export function definePattern(def: PatternDef): PatternDef {
  for (const sample of def.validSamples ?? []) {
    if (!def.regex.test(sample)) throw new Error(`pattern ${def.name}: valid sample ${JSON.stringify(sample)} does not match`);
  }
  for (const sample of def.invalidSamples ?? []) {
    if (def.regex.test(sample)) throw new Error(`pattern ${def.name}: invalid sample ${JSON.stringify(sample)} matches`);
  }
  for (const [cls, chars] of Object.entries(def.classes ?? {})) {
    for (const ch of chars) {
      if (!def.regex.test(ch)) throw new Error(`pattern ${def.name}: class ${cls} character ${JSON.stringify(ch)} does not match`);
    }
  }
  return def;
}

/** Every allowed character a class-based pattern names, as code points (astral-safe). */
export function allowedChars(p: PatternDef): string[] {
  return [...new Set(Object.values(p.classes ?? {}).flatMap((s) => [...s]))];
}
