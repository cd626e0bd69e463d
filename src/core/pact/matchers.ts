// The matchers alone: the package's index loads the native verifier too (~0.8 s a run does not need
// in-process; the verification runs in its own process). Only pact generation imports this module.
import * as MatchersV3 from '@pact-foundation/pact/src/v3/matchers.js';
import type { FieldMeta } from '../rulebook/fields.js';
import { ITEM, pathKey, pathText, walkFields, type FieldVisit } from '../rulebook/walk.js';
import { isRecord } from '../util/json.js';
import { enumRegex, regexOf } from './field-rules.js';

/**
 * Pact matchers derived from the rulebook's field metadata, never written by hand: a field's
 * pattern becomes a regex matcher (converted to Rust syntax), an enum a regex alternation
 * `^(A|B)$`, a length-only string a type matcher (Pact has no string length matcher), a number
 * an integer or number matcher, an array `eachLike` (with its min/max when the field has them),
 * an object the matchers of the keys the example carries.
 */

/** Narrower expectations an interaction puts on a field than its contract does (e.g. a final status only). */
export type Narrowing = Readonly<Record<string, readonly string[]>>;

/** Body values read from provider-state values when the verifier replays the request (`${name}`). */
export type StateValues = Readonly<Record<string, string>>;

interface TemplateOptions {
  readonly fromState?: StateValues;
  readonly narrow?: Narrowing;
}

/**
 * A JSON template for `jsonBody`: the example value with a matcher on every leaf. `fromState`
 * maps dotted paths (below the body) to a provider-state expression; `narrow` to the only
 * values allowed there.
 */
export function template(meta: FieldMeta, value: unknown, options: TemplateOptions = {}): unknown {
  if (value === undefined) throw new Error('example at (root) is missing');
  // Children come after their parent in the walk: built in reverse, each parent finds its children's matchers.
  const built = new Map<string, unknown>();
  for (const visit of [...walkFields(meta, { value, firstItem: true })].reverse()) built.set(pathKey(visit.path), matcherOf(visit, built, options));
  return built.get('');
}

function matcherOf({ path, meta, value }: FieldVisit, built: ReadonlyMap<string, unknown>, options: TemplateOptions): unknown {
  const key = pathKey(path);
  const where = pathText(path);
  const stateExpression = options.fromState?.[key];
  if (stateExpression !== undefined) return MatchersV3.fromProviderState(stateExpression, value);
  const narrowed = options.narrow?.[key];
  if (narrowed !== undefined) return MatchersV3.regex(enumRegex(narrowed), String(value));
  switch (meta.kind) {
    case 'object': {
      if (!isRecord(value)) throw new Error(`example at ${where} is not an object`);
      const out: Record<string, unknown> = {};
      for (const k of Object.keys(value)) {
        if (!meta.fields[k]) throw new Error(`example at ${where} has ${k}, which the contract does not define`);
        out[k] = built.get(pathKey([...path, k]));
      }
      return out;
    }
    case 'array': {
      if (!Array.isArray(value) || value.length === 0) throw new Error(`example at ${where} must be a non-empty array`);
      const item = built.get(pathKey([...path, ITEM]));
      const min = Math.max(1, meta.min ?? 1);
      return meta.max !== undefined ? MatchersV3.constrainedArrayLike(item, min, meta.max) : MatchersV3.atLeastLike(item, min);
    }
    case 'text':
    case 'enum': {
      if (typeof value !== 'string') throw new Error(`example at ${where} is not a string`);
      const regex = regexOf(meta);
      return regex === undefined ? MatchersV3.like(value) : MatchersV3.regex(regex, value);
    }
    case 'number':
      if (typeof value !== 'number') throw new Error(`example at ${where} is not a number`);
      return meta.int ? MatchersV3.integer(value) : MatchersV3.number(value);
    case 'textOrNumber':
      return MatchersV3.like(value);
  }
}
