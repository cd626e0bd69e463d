import { isStructure, type Advice, type FieldMeta } from './fields.js';
import type { RuleRef } from './rule.js';
import { isRecord } from '../util/json.js';

/**
 * The one walker of the field tree. Every derivation (rule catalogue, message check, just-invalid
 * cases, the simulator's grading, Pact matchers) reads the same four rule roles here, so a role
 * or a path convention is encoded once.
 */

/**
 * A path in its one form: object keys, and for an array item `[]` (any item: a walk of the
 * definitions, or Pact's first item) or the item's index (a walk of a value).
 */
export type FieldPath = readonly (string | number)[];

/** The segment of an array's item in a walk of the definitions. */
export const ITEM = '[]';

/** A path as reports show it: `body.otp.value`, `(root)` for the message itself. */
export function pathText(path: FieldPath): string {
  return path.length === 0 ? '(root)' : pathKey(path);
}

/** A path as a lookup key: dotted, the empty string for the root. */
export function pathKey(path: FieldPath): string {
  return path.map(String).join('.');
}

/** A printed path back into segments (`(root)` and the empty string are the root). */
export function parsePath(text: string): FieldPath {
  return text === '' || text === '(root)' ? [] : text.split('.');
}

/** The field definition at a path: an object's key, an array's item (`[]` or an index). */
export function fieldAt(meta: FieldMeta, path: FieldPath): FieldMeta | undefined {
  let cur: FieldMeta | undefined = meta;
  for (const seg of path) {
    if (cur?.kind === 'object') cur = cur.fields[seg];
    else if (cur?.kind === 'array' && (seg === ITEM || /^\d+$/.test(String(seg)))) cur = cur.item;
    else return undefined;
  }
  return cur;
}

/** A key an integration profile makes mandatory; `alone` when only the profile requires it (the base schema does not). */
export interface ProfileKey {
  readonly key: string;
  readonly path: FieldPath;
  readonly alone: boolean;
}

/** One rule a field states, in its role, with the paths it governs. */
export type RuleUse =
  | { readonly role: 'schema'; readonly ref: RuleRef; readonly paths: readonly FieldPath[] }
  | { readonly role: 'advice'; readonly ref: RuleRef; readonly paths: readonly FieldPath[]; readonly advice: Advice }
  | { readonly role: 'presence'; readonly ref: RuleRef; readonly paths: readonly FieldPath[]; readonly key: string }
  | {
      readonly role: 'profile';
      readonly ref: RuleRef;
      readonly paths: readonly FieldPath[];
      readonly profile: string;
      readonly keys: readonly ProfileKey[];
    };

export type Role = RuleUse['role'];

/** A field met by the walker. */
export interface FieldVisit {
  readonly path: FieldPath;
  readonly meta: FieldMeta;
  /** The value at the path (a walk of a value; undefined in a walk of the definitions). */
  readonly value: unknown;
  /** The rule that makes this key mandatory in its parent, if one does (see requiredBy). */
  readonly requiredBy: RuleRef | undefined;
  /** A path, query or header value: it travels as a string, so a wrong JSON type cannot be sent. */
  readonly onWire: boolean;
  /**
   * The rules the field states, in role order: its schema rule (none for a structural grouping),
   * its advice, then for an object the presence and profile rules of its keys (in a walk of a
   * value, only where the value is an object).
   */
  readonly rules: readonly RuleUse[];
}

export interface WalkOptions {
  /** Walk this value: only the documented fields it carries, each array item by its index. */
  readonly value: unknown;
  /** Only an array's first item, under `[]` (Pact's eachLike stands for every item). */
  readonly firstItem?: boolean;
}

/** The rule that makes `key` mandatory in an object: its presence rule, else the first profile rule listing it. */
export function requiredBy(parent: FieldMeta, key: string): RuleRef | undefined {
  if (parent.kind !== 'object') return undefined;
  const presence = parent.required[key];
  if (presence && !isStructure(presence)) return presence;
  return parent.profileRequired.find((p) => p.keys.includes(key))?.rule;
}

function rulesOf(meta: FieldMeta, path: FieldPath, keysApply: boolean): readonly RuleUse[] {
  // A field is met at the same path walk after walk (each message checked, each case built): its
  // rules are built once per path and shared (they are read-only).
  const cached = rulesCache.get(meta);
  if (cached !== undefined && cached.keysApply === keysApply && samePath(cached.path, path)) return cached.rules;
  const uses: RuleUse[] = [];
  if (!(meta.kind === 'object' && meta.structural)) uses.push({ role: 'schema', ref: meta.rule, paths: [path] });
  for (const advice of meta.advice ?? []) uses.push({ role: 'advice', ref: advice.rule, paths: [path], advice });
  if (meta.kind === 'object' && keysApply) {
    for (const [key, ref] of Object.entries(meta.required)) if (!isStructure(ref)) uses.push({ role: 'presence', ref, paths: [[...path, key]], key });
    for (const req of meta.profileRequired) {
      const keys = req.keys.map((key) => ({ key, path: [...path, key], alone: !(key in meta.required) }));
      uses.push({ role: 'profile', ref: req.rule, paths: keys.map((k) => k.path), profile: req.profile, keys });
    }
  }
  rulesCache.set(meta, { path, keysApply, rules: uses });
  return uses;
}

/** The last rules built for each field (one entry per field: a field met at another path rebuilds it). */
const rulesCache = new WeakMap<FieldMeta, { readonly path: FieldPath; readonly keysApply: boolean; readonly rules: readonly RuleUse[] }>();

function samePath(a: FieldPath, b: FieldPath): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Depth-first, each field once, parents before children, an object's keys in contract order.
 * Without options: every field definition. With a value: the fields the value carries.
 */
export function* walkFields(meta: FieldMeta, options?: WalkOptions): Generator<FieldVisit> {
  const ofValue = options !== undefined;
  // An explicit stack, not nested generators: each `yield*` level re-yields every visit below it.
  const stack: Pending[] = [{ meta, path: [], value: options?.value, required: undefined, onWire: false }];
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    const { meta: here, path, value, required, onWire } = next;
    if (ofValue && value === undefined) continue;
    yield { path, meta: here, value, requiredBy: required, onWire, rules: rulesOf(here, path, !ofValue || isRecord(value)) };
    const children: Pending[] = [];
    if (here.kind === 'object') {
      if (ofValue && !isRecord(value)) continue;
      const record = isRecord(value) ? value : {};
      for (const [k, child] of Object.entries(here.fields)) {
        children.push({ meta: child, path: [...path, k], value: record[k], required: requiredBy(here, k), onWire: here.wireStrings });
      }
    } else if (here.kind === 'array') {
      if (!ofValue) children.push({ meta: here.item, path: [...path, ITEM], value: undefined, required: undefined, onWire: false });
      else if (Array.isArray(value)) {
        if (options.firstItem === true) children.push({ meta: here.item, path: [...path, ITEM], value: value[0], required: undefined, onWire: false });
        else for (const [i, item] of value.entries()) children.push({ meta: here.item, path: [...path, i], value: item, required: undefined, onWire: false });
      }
    }
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i] as Pending);
  }
}

interface Pending {
  readonly meta: FieldMeta;
  readonly path: FieldPath;
  readonly value: unknown;
  readonly required: RuleRef | undefined;
  readonly onWire: boolean;
}

/** Every rule a field tree names, in every role, with the paths it governs (as report text). */
export function* ruleRefs(meta: FieldMeta): Generator<{ ref: RuleRef; role: Role; paths: string[]; text?: string }> {
  for (const { rules } of walkFields(meta)) {
    for (const use of rules) {
      const paths = use.paths.map(pathText);
      yield use.role === 'advice' ? { ref: use.ref, role: use.role, paths, text: use.advice.text } : { ref: use.ref, role: use.role, paths };
    }
  }
}
