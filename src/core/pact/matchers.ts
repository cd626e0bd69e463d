// The matchers alone: the package's index loads the native verifier too (~0.8 s a run does not need
// in-process; the verification runs in its own process).
import * as MatchersV3 from '@pact-foundation/pact/src/v3/matchers.js';
import { isStructure, type FieldMeta } from '../rulebook/fields.js';
import { toRustRegex } from './rust-regex.js';

/**
 * Pact matchers derived from the rulebook's field metadata, never written by hand: a field's
 * pattern becomes a regex matcher (converted to Rust syntax), an enum a regex alternation
 * `^(A|B)$`, a length-only string a type matcher (Pact has no string length matcher), a number
 * an integer or number matcher, an array `eachLike` (with its min/max when the field has them),
 * an object the matchers of the keys the example carries.
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

/** Narrower expectations an interaction puts on a field than its contract does (e.g. a final status only). */
export type Narrowing = Readonly<Record<string, readonly string[]>>;

/** Body values read from provider-state values when the verifier replays the request (`${name}`). */
export type StateValues = Readonly<Record<string, string>>;

/**
 * A JSON template for `jsonBody`: the example value with a matcher on every leaf. `fromState`
 * maps dotted paths (below the body) to a provider-state expression; `narrow` to the only
 * values allowed there.
 */
export function template(meta: FieldMeta, value: unknown, options: { fromState?: StateValues; narrow?: Narrowing } = {}, path = ''): unknown {
  const stateExpression = options.fromState?.[path];
  if (stateExpression !== undefined) return MatchersV3.fromProviderState(stateExpression, value);
  const narrowed = options.narrow?.[path];
  if (narrowed !== undefined) return MatchersV3.regex(enumRegex(narrowed), String(value));
  switch (meta.kind) {
    case 'object': {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`example at ${path || '(root)'} is not an object`);
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) {
        const child = meta.fields[k];
        if (!child) throw new Error(`example at ${path || '(root)'} has ${k}, which the contract does not define`);
        out[k] = template(child, v, options, path === '' ? k : `${path}.${k}`);
      }
      return out;
    }
    case 'array': {
      if (!Array.isArray(value) || value.length === 0) throw new Error(`example at ${path} must be a non-empty array`);
      const item = template(meta.item, value[0], options, `${path}.[]`);
      const min = Math.max(1, meta.min ?? 1);
      return meta.max !== undefined ? MatchersV3.constrainedArrayLike(item, min, meta.max) : MatchersV3.atLeastLike(item, min);
    }
    case 'text':
    case 'enum': {
      if (typeof value !== 'string') throw new Error(`example at ${path} is not a string`);
      const regex = regexOf(meta);
      return regex === undefined ? MatchersV3.like(value) : MatchersV3.regex(regex, value);
    }
    case 'number':
      if (typeof value !== 'number') throw new Error(`example at ${path} is not a number`);
      return meta.int ? MatchersV3.integer(value) : MatchersV3.number(value);
    case 'textOrNumber':
      return MatchersV3.like(value);
  }
}

/** The value at a dotted path (array items as `[]`, the first one). */
export function valueAt(value: unknown, path: string): unknown {
  let cur = value;
  for (const seg of path === '' ? [] : path.split('.')) {
    if (seg === '[]') cur = Array.isArray(cur) ? cur[0] : undefined;
    else cur = typeof cur === 'object' && cur !== null ? (cur as Record<string, unknown>)[seg] : undefined;
  }
  return cur;
}

/** The field definition at a dotted path below `meta` (array items as `[]`). */
export function fieldAt(meta: FieldMeta, path: string): FieldMeta | undefined {
  let cur: FieldMeta | undefined = meta;
  for (const seg of path === '' ? [] : path.split('.')) {
    if (!cur) return undefined;
    if (seg === '[]') cur = cur.kind === 'array' ? cur.item : undefined;
    else cur = cur.kind === 'object' ? cur.fields[seg] : undefined;
  }
  return cur;
}

/** The rule that makes `key` mandatory in an object (its presence rule, or the profile rule that requires it). */
export function presenceRuleOf(parent: FieldMeta, key: string): string | undefined {
  if (parent.kind !== 'object') return undefined;
  const presence = parent.required[key];
  if (presence && !isStructure(presence)) return presence.id;
  return parent.profileRequired.find((p) => p.keys.includes(key))?.rule.id;
}

/**
 * Every rule the matchers of a template stand for: each present field's own rule, the presence
 * (or profile) rule of each present key, and the narrowing rule of narrowed fields.
 */
export function rulesOfExample(meta: FieldMeta, value: unknown, narrowRules: Readonly<Record<string, string>> = {}, path = ''): string[] {
  const out = new Set<string>();
  const visit = (m: FieldMeta, v: unknown, p: string) => {
    if (!(m.kind === 'object' && m.structural) && !isStructure(m.rule)) out.add(m.rule.id);
    const narrowRule = narrowRules[p];
    if (narrowRule !== undefined) out.add(narrowRule);
    if (m.kind === 'object' && typeof v === 'object' && v !== null) {
      for (const [k, child] of Object.entries(v)) {
        const childMeta = m.fields[k];
        if (!childMeta) continue;
        const presence = presenceRuleOf(m, k);
        if (presence !== undefined) out.add(presence);
        visit(childMeta, child, p === '' ? k : `${p}.${k}`);
      }
    } else if (m.kind === 'array' && Array.isArray(v) && v.length > 0) {
      visit(m.item, v[0], `${p}.[]`);
    }
  };
  visit(meta, value, path);
  return [...out];
}
