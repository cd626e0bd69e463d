import type { FieldMeta } from '../rulebook/fields.js';
import { fieldAt as fieldAtPath, parsePath, pathKey, requiredBy, walkFields } from '../rulebook/walk.js';
import { toRustRegex } from './rust-regex.js';

/**
 * What a Pact matcher stands for, read from the rulebook's field metadata: the regex of a field,
 * the field at a matcher's path, the rules an example's matchers stand for. Kept apart from
 * matchers.ts so the verification path (results.ts, interactions.ts) never loads the Pact package.
 */

/** Escapes a literal for a Rust (or JS) regex. */
export function escapeRegex(literal: string): string {
  return literal.replace(/[\\.+*?()|[\]{}^$#&~-]/g, '\\$&');
}

export function enumRegex(values: readonly string[]): string {
  return `^(${values.map(escapeRegex).join('|')})$`;
}

/** The regex a text or enum field's matcher uses (undefined: the field is matched by type). */
export function regexOf(meta: FieldMeta): string | undefined {
  if (meta.kind === 'enum') return enumRegex(meta.values);
  if (meta.kind === 'text' && meta.pattern) return toRustRegex(meta.pattern.regex);
  return undefined;
}

/** The field definition at a dotted path below `meta` (array items as `[]`). */
export function fieldAt(meta: FieldMeta, path: string): FieldMeta | undefined {
  return fieldAtPath(meta, parsePath(path));
}

/** The rule that makes `key` mandatory in an object (its presence rule, or the profile rule that requires it). */
export function presenceRuleOf(parent: FieldMeta, key: string): string | undefined {
  return requiredBy(parent, key)?.id;
}

/**
 * Every rule the matchers of a template stand for: each present field's own rule, the presence
 * (or profile) rule of each present key, and the narrowing rule of narrowed fields (by dotted path).
 */
export function rulesOfExample(meta: FieldMeta, value: unknown, narrowRules: Readonly<Record<string, string>> = {}): string[] {
  const out = new Set<string>();
  for (const visit of walkFields(meta, { value, firstItem: true })) {
    if (visit.requiredBy) out.add(visit.requiredBy.id);
    for (const use of visit.rules) if (use.role === 'schema') out.add(use.ref.id);
    const narrowRule = narrowRules[pathKey(visit.path)];
    if (narrowRule !== undefined) out.add(narrowRule);
  }
  return [...out];
}
