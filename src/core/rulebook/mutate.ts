import fc from 'fast-check';
import type { FieldMeta } from './fields.js';
import { boundaryString, charsFor, messageArb, textArb } from './generate.js';
import type { MessageDef } from './message.js';
import type { RuleRef } from './rule.js';
import { ITEM, pathKey, pathText, walkFields, type FieldPath } from './walk.js';

/** How a just-invalid value breaks its rule; reports and suites show it as the case name. */
export type Mutation =
  | 'too-long'
  | 'too-short'
  | 'forbidden-char'
  | 'pattern-mismatch'
  | 'wrong-type'
  | 'not-in-enum'
  | 'wrong-case'
  | 'not-integer'
  | 'below-minimum'
  | 'extra-property'
  | 'missing'
  | 'missing-under-profile'
  | 'advice-breach';

/**
 * How D1's API change policy (d1-spec README) classes a just-invalid request D1 might send:
 * - `missing-required`: a required field is absent (the only class whose acceptance is a warning by default);
 * - `malformed`: a value out of its type, length, pattern or case (refusing it is optional);
 * - `tolerable`: what D1 may start sending without notice (a new enum value, an unknown property):
 *   not invalid at all for an issuer, which must accept it (OUT-GEN-022).
 * For messages the issuer sends to D1 the classes do not apply: D1 validates them.
 */
export type InvalidClass = 'missing-required' | 'malformed' | 'tolerable';

export function invalidClass(mutation: Mutation): InvalidClass {
  switch (mutation) {
    case 'missing':
    case 'missing-under-profile':
      return 'missing-required';
    case 'not-in-enum':
    case 'extra-property':
      return 'tolerable';
    default:
      return 'malformed';
  }
}

/** A message generator that breaks exactly one rule at one path, and nothing else. */
export interface InvalidCase {
  readonly ruleId: string;
  readonly rule: RuleRef;
  readonly path: string;
  readonly mutation: Mutation;
  readonly class: InvalidClass;
  /** Profiles the case must be checked under (profile rules only). */
  readonly profiles: readonly string[];
  readonly arb: fc.Arbitrary<unknown>;
}

type Edit = { kind: 'set'; value: fc.Arbitrary<unknown> } | { kind: 'delete' };

/** Copies `root` and applies the edit at `path` (`[]` = first array item). */
function applyEdit(root: unknown, path: FieldPath, edit: 'delete' | { value: unknown }): unknown {
  if (path.length === 0) return edit === 'delete' ? undefined : edit.value;
  const clone: unknown = structuredClone(root);
  let node: unknown = clone;
  for (let i = 0; i < path.length - 1; i++) {
    const seg = path[i] ?? '';
    node = seg === ITEM ? (node as unknown[])[0] : (node as Record<string, unknown>)[String(seg)];
  }
  const last = String(path[path.length - 1] ?? '');
  if (last === ITEM) {
    const arr = node as unknown[];
    if (edit === 'delete') arr.splice(0, 1);
    else arr[0] = edit.value;
  } else {
    const rec = node as Record<string, unknown>;
    if (edit === 'delete') Reflect.deleteProperty(rec, last);
    else rec[last] = edit.value;
  }
  return clone;
}

function replaceAt(value: string, index: number, ch: string): string {
  const cps = [...value];
  cps[index % cps.length] = ch;
  return cps.join('');
}

function wrongType(meta: FieldMeta): unknown {
  switch (meta.kind) {
    case 'text':
    case 'enum':
      return 42;
    case 'number':
      return '42';
    case 'textOrNumber':
      return true;
    case 'object':
      return 'not-an-object';
    case 'array':
      return { not: 'an array' };
  }
}

/** The edits that break the field's own schema rule, each by one kind of mutation. */
function schemaEdits(meta: FieldMeta, onWire: boolean): [Mutation, fc.Arbitrary<unknown>][] {
  const edits: [Mutation, fc.Arbitrary<unknown>][] = onWire ? [] : [['wrong-type', fc.constant(wrongType(meta))]];
  switch (meta.kind) {
    case 'text': {
      const chars = charsFor(meta.pattern, meta.hint);
      if (meta.max !== undefined) edits.push(['too-long', fc.nat(chars.length - 1).map((o) => boundaryString(chars, (meta.max ?? 0) + 1, o))]);
      if (meta.min !== undefined && meta.min > 0) edits.push(['too-short', fc.constant(boundaryString(chars, meta.min - 1))]);
      const forbidden = meta.pattern?.forbidden ?? [];
      if (forbidden.length > 0) {
        const base = textArb({ ...meta, advice: [] });
        edits.push(['forbidden-char', fc.tuple(base, fc.nat(), fc.constantFrom(...forbidden)).map(([v, i, ch]) => replaceAt(v, i, ch))]);
      }
      const samples = (meta.pattern?.invalidSamples ?? []).filter(
        (s) => (meta.min === undefined || [...s].length >= meta.min) && (meta.max === undefined || [...s].length <= meta.max),
      );
      if (samples.length > 0) edits.push(['pattern-mismatch', fc.constantFrom(...samples)]);
      break;
    }
    case 'enum': {
      edits.push(['not-in-enum', fc.constantFrom('UNKNOWN_VALUE', 'X')]);
      const lowered = meta.values.map((v) => v.toLowerCase()).filter((v) => !meta.values.includes(v));
      if (lowered.length > 0) edits.push(['wrong-case', fc.constantFrom(...lowered)]);
      break;
    }
    case 'number':
      if (meta.int) edits.push(['not-integer', fc.constant((meta.min ?? 0) + 0.5)]);
      if (meta.min !== undefined) edits.push(['below-minimum', fc.constant(meta.min - 1)]);
      break;
    case 'object':
      if (meta.strict) edits.push(['extra-property', fc.constant('__extra__')]);
      break;
    case 'textOrNumber':
    case 'array':
      break;
  }
  return edits;
}

/**
 * For every rule of a message, generators of messages that break exactly that rule: a valid
 * message with one field made too long, too short, of a forbidden character, of the wrong type or
 * case, not in its enum, or missing. Suites send them; tests prove each is refused under its id.
 */
export function invalidCases(msg: MessageDef): InvalidCase[] {
  const cases: InvalidCase[] = [];
  const add = (rule: RuleRef, path: FieldPath, mutation: Mutation, profiles: readonly string[], edit: Edit) => {
    const key = pathKey(path);
    const forcePresent = new Set([key]);
    const base = messageArb(msg, { profiles, forcePresent });
    const arb =
      edit.kind === 'delete'
        ? base.map((m) => applyEdit(m, path, 'delete'))
        : fc.tuple(base, edit.value).map(([m, v]) => {
            if (mutation === 'extra-property') return applyEdit(m, [...path, '__extra__'], { value: v });
            return applyEdit(m, path, { value: v });
          });
    cases.push({ ruleId: rule.id, rule, path: pathText(path), mutation, class: invalidClass(mutation), profiles, arb });
  };

  for (const { path, meta, onWire, rules } of walkFields(msg.field.meta)) {
    for (const use of rules) {
      switch (use.role) {
        case 'schema':
          for (const [mutation, value] of schemaEdits(meta, onWire)) add(use.ref, path, mutation, [], { kind: 'set', value });
          break;
        case 'advice':
          add(use.ref, path, 'advice-breach', [], { kind: 'set', value: fc.constant(use.advice.counterexample) });
          break;
        case 'presence':
          for (const p of use.paths) add(use.ref, p, 'missing', [], { kind: 'delete' });
          break;
        case 'profile':
          // A key the base schema already requires cannot be missing under the profile alone.
          for (const k of use.keys) if (k.alone) add(use.ref, k.path, 'missing-under-profile', [use.profile], { kind: 'delete' });
          break;
      }
    }
  }
  return cases;
}
