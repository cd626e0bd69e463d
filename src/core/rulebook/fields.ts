import { z } from 'zod';
import { tag, type RuleRef } from './rule.js';
import type { PatternDef } from './pattern.js';

/** How to generate a plausible value where D1 gives no pattern (the value is still only length-checked). */
export type TextHint = 'alnum' | 'uuid' | 'iso-datetime' | 'digits' | 'currency-alpha' | 'currency-numeric' | 'words' | 'jws' | 'jwe';

/** A SHOULD or POLICY check on a value that already satisfies the schema; a breach is a warning. */
export interface Advice {
  readonly rule: RuleRef;
  readonly text: string;
  readonly holds: (value: unknown) => boolean;
  /** A value that passes the schema but breaks this advice, for the just-invalid generators. */
  readonly counterexample: unknown;
}

interface Common {
  readonly rule: RuleRef;
  readonly description?: string;
  readonly advice?: readonly Advice[];
}

export type FieldMeta =
  | (Common & {
      readonly kind: 'text';
      readonly min?: number;
      readonly max?: number;
      readonly pattern?: PatternDef;
      readonly hint?: TextHint;
      /** Realistic values to generate besides random ones (e.g. the storage types a description lists). */
      readonly examples?: readonly string[];
    })
  | (Common & { readonly kind: 'enum'; readonly values: readonly [string, ...string[]] })
  | (Common & { readonly kind: 'number'; readonly int: boolean; readonly min?: number; readonly max?: number })
  | (Common & { readonly kind: 'textOrNumber' })
  | (Common & {
      readonly kind: 'object';
      readonly fields: Readonly<Record<string, FieldMeta>>;
      readonly required: Readonly<Record<string, RuleRef>>;
      readonly strict: boolean;
      readonly profileRequired: readonly ProfileRequirement[];
      /** A request's `path`/`query`/`headers` grouping: built by the harness, not a D1 field, so it has no rule. */
      readonly structural: boolean;
      /** Path, query and header values travel as strings: a wrong JSON type cannot be sent. */
      readonly wireStrings: boolean;
    })
  | (Common & { readonly kind: 'array'; readonly item: FieldMeta; readonly min?: number; readonly max?: number });

/** Fields an integration profile makes mandatory (e.g. Click to Pay needs language and phone). */
export interface ProfileRequirement {
  readonly profile: string;
  readonly rule: RuleRef;
  readonly keys: readonly string[];
}

/**
 * A field definition: its metadata (the rule data every derivation reads) and a builder for its
 * zod schema. Presence is the parent's business, so the parent passes the presence rule in: zod
 * reports a missing key through the child's error function, and that is where it gets its id.
 */
export interface Field<S extends z.ZodType = z.ZodType> {
  readonly meta: FieldMeta;
  build(presence?: RuleRef): S;
}

type Built<F> = F extends Field<infer S> ? S : never;

function errorFn(rule: RuleRef, text: string, presence: RuleRef | undefined, name: string) {
  return (iss: { input?: unknown }) => (iss.input === undefined && presence ? tag(presence, `${name} is required`) : tag(rule, text));
}

export function codePoints(value: string): number {
  let n = 0;
  for (const _ of value) n++;
  return n;
}

export function describeText(m: { min?: number; max?: number; pattern?: PatternDef }): string {
  const len = m.min !== undefined || m.max !== undefined ? `, ${m.min ?? 0}..${m.max ?? '∞'} chars` : '';
  const pat = m.pattern ? `, matches ${m.pattern.name} ${String(m.pattern.regex)}` : '';
  return `string${len}${pat}`;
}

export function text(spec: Omit<Extract<FieldMeta, { kind: 'text' }>, 'kind'>): Field<z.ZodString> {
  const meta: FieldMeta = { kind: 'text', ...spec };
  const what = spec.description ?? describeText(spec);
  return {
    meta,
    build(presence) {
      const err = errorFn(spec.rule, `must be a ${what}`, presence, 'field');
      // JSON Schema lengths count code points, not UTF-16 units: an astral letter is one character.
      const { min, max } = spec;
      let s = z.string({ error: err });
      if (min !== undefined) s = s.refine((v) => codePoints(v) >= min, { error: err });
      if (max !== undefined) s = s.refine((v) => codePoints(v) <= max, { error: err });
      if (spec.pattern) s = s.regex(spec.pattern.regex, { error: err });
      return s;
    },
  };
}

export function oneOf<const V extends readonly [string, ...string[]]>(
  spec: Omit<Extract<FieldMeta, { kind: 'enum' }>, 'kind' | 'values'> & { values: V },
): Field<z.ZodEnum<{ [K in V[number]]: K }>> {
  const meta: FieldMeta = { kind: 'enum', ...spec };
  return {
    meta,
    build(presence) {
      return z.enum(spec.values, { error: errorFn(spec.rule, `must be one of ${spec.values.join(', ')}`, presence, 'field') });
    },
  };
}

export function num(spec: Omit<Extract<FieldMeta, { kind: 'number' }>, 'kind'>): Field<z.ZodNumber> {
  const meta: FieldMeta = { kind: 'number', ...spec };
  return {
    meta,
    build(presence) {
      const err = errorFn(spec.rule, `must be ${spec.int ? 'an integer' : 'a number'}`, presence, 'field');
      let s = z.number({ error: err });
      if (spec.int) s = s.int({ error: err });
      if (spec.min !== undefined) s = s.min(spec.min, { error: err });
      if (spec.max !== undefined) s = s.max(spec.max, { error: err });
      return s;
    },
  };
}

/** A value the spec types as string but implementations send as a number too (e.g. expires_in). */
export function textOrNumber(spec: Omit<Extract<FieldMeta, { kind: 'textOrNumber' }>, 'kind'>): Field<z.ZodUnion<[z.ZodString, z.ZodNumber]>> {
  const meta: FieldMeta = { kind: 'textOrNumber', ...spec };
  return {
    meta,
    build(presence) {
      const err = errorFn(spec.rule, 'must be a string or a number', presence, 'field');
      return z.union([z.string(), z.number()], { error: err });
    },
  };
}

export function list<F extends Field>(spec: Omit<Extract<FieldMeta, { kind: 'array' }>, 'kind' | 'item'> & { item: F }): Field<z.ZodArray<Built<F>>> {
  const meta: FieldMeta = { kind: 'array', ...spec, item: spec.item.meta };
  return {
    meta,
    build(presence) {
      const err = errorFn(spec.rule, 'must be an array', presence, 'field');
      let s = z.array(spec.item.build() as Built<F>, { error: err });
      if (spec.min !== undefined) s = s.min(spec.min, { error: err });
      if (spec.max !== undefined) s = s.max(spec.max, { error: err });
      return s;
    },
  };
}

type Shape<F extends Record<string, Field>, R extends PropertyKey> = {
  [K in keyof F]: K extends R ? Built<F[K]> : z.ZodOptional<Built<F[K]>>;
};

/**
 * An object. Keys listed in `required` carry their own presence rule; the rest are optional.
 * Unknown keys are stripped (D1's change policy: tolerate new fields) unless `strict`, which is
 * the spec's `additionalProperties: false`.
 */
export function obj<F extends Record<string, Field>, R extends keyof F & string = never>(spec: {
  rule: RuleRef;
  fields: F;
  required?: { readonly [K in R]: RuleRef };
  strict?: boolean;
  profileRequired?: readonly ProfileRequirement[];
  description?: string;
  advice?: readonly Advice[];
  structural?: boolean;
  wireStrings?: boolean;
}): Field<z.ZodObject<Shape<F, R>>> {
  const required: Record<string, RuleRef> = { ...(spec.required ?? {}) };
  const fields: Record<string, FieldMeta> = {};
  for (const [k, f] of Object.entries(spec.fields)) fields[k] = f.meta;
  for (const k of Object.keys(required)) {
    if (!(k in fields)) throw new Error(`required key ${k} is not a field`);
  }
  const meta: FieldMeta = {
    kind: 'object',
    rule: spec.rule,
    fields,
    required,
    strict: spec.strict ?? false,
    profileRequired: spec.profileRequired ?? [],
    structural: spec.structural ?? false,
    wireStrings: spec.wireStrings ?? false,
    ...(spec.description !== undefined ? { description: spec.description } : {}),
    ...(spec.advice ? { advice: spec.advice } : {}),
  };
  return {
    meta,
    build(presence) {
      const shape: Record<string, z.ZodType> = {};
      for (const [k, f] of Object.entries(spec.fields)) {
        const presenceRule = required[k];
        shape[k] = presenceRule ? f.build(presenceRule) : f.build().optional();
      }
      const text = spec.strict ? 'must be an object with no properties beyond the documented ones' : 'must be an object';
      const err = errorFn(spec.rule, text, presence, 'field');
      return (spec.strict ? z.strictObject(shape, { error: err }) : z.object(shape, { error: err })) as unknown as z.ZodObject<Shape<F, R>>;
    },
  };
}

/** The rule slot of a structural grouping; never reported, since the harness builds these objects. */
const STRUCTURE: RuleRef = { id: 'STRUCTURE', source: 'request layout of d1-conformance' };

/** A request as `{ path, query, headers, body }`: every part given is present; a part's presence rule, if any, names who breaks it. */
export function request<F extends Record<string, Field>, O extends keyof F & string = never>(
  fields: F,
  presence: { readonly [K in keyof F]?: RuleRef } = {},
  /** Parts the request may leave out (an optional body). */
  optional: readonly O[] = [],
): Field<z.ZodObject<Shape<F, Exclude<keyof F & string, O>>>> {
  const required = Object.fromEntries(
    Object.keys(fields)
      .filter((k) => !(optional as readonly string[]).includes(k))
      .map((k) => [k, presence[k] ?? STRUCTURE]),
  ) as { [K in Exclude<keyof F & string, O>]: RuleRef };
  return obj({ rule: STRUCTURE, structural: true, fields, required });
}

/** True for the rule slot of structural groupings, which no report ever shows. */
export function isStructure(ref: RuleRef): boolean {
  return ref === STRUCTURE;
}

/** A group of path parameters, query parameters or headers. */
export function group<F extends Record<string, Field>, R extends keyof F & string = never>(spec: { fields: F; required?: { readonly [K in R]: RuleRef } }) {
  return obj({ rule: STRUCTURE, structural: true, wireStrings: true, ...spec });
}

/** Path parameters: always present (a missing one is another route), so none has a presence rule. */
export function pathParams<F extends Record<string, Field>>(fields: F): Field<z.ZodObject<Shape<F, keyof F & string>>> {
  const required = Object.fromEntries(Object.keys(fields).map((k) => [k, STRUCTURE])) as { [K in keyof F & string]: RuleRef };
  return obj({ rule: STRUCTURE, structural: true, wireStrings: true, fields, required });
}

/**
 * The field a definition describes, built again from its metadata: how a rulebook imported from
 * D1's OpenAPI (src/core/spec-change/overlay.ts) checks with its own patterns, lengths, enums and
 * required keys through the same builders as the built-in contracts.
 */
export function fieldOf(meta: FieldMeta): Field {
  switch (meta.kind) {
    case 'text': {
      const { kind: _, ...spec } = meta;
      return text(spec);
    }
    case 'enum': {
      const { kind: _, ...spec } = meta;
      return oneOf(spec);
    }
    case 'number': {
      const { kind: _, ...spec } = meta;
      return num(spec);
    }
    case 'textOrNumber': {
      const { kind: _, ...spec } = meta;
      return textOrNumber(spec);
    }
    case 'array': {
      const { kind: _, item, ...spec } = meta;
      return list({ ...spec, item: fieldOf(item) });
    }
    case 'object': {
      const { kind: _, fields, ...spec } = meta;
      return obj({ ...spec, fields: Object.fromEntries(Object.entries(fields).map(([k, f]) => [k, fieldOf(f)])) });
    }
  }
}
