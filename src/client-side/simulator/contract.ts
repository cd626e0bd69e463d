import { checkMessage, type Violation } from '../../core/rulebook/check.js';
import type { FieldMeta } from '../../core/rulebook/fields.js';
import type { MessageDef } from '../../core/rulebook/message.js';
import { fieldAt, parsePath, pathText, walkFields } from '../../core/rulebook/walk.js';
import type { FieldErrorCode } from './errors.js';
import type { Grading } from './grade.js';
import { isRecord } from '../../core/util/json.js';

/**
 * Grades a value against its message contract. A rule counts as exercised only where the value
 * gave it something to check (a field present, a required key, a profile in force, advice on a
 * present value): an absent optional field is not a pass of its pattern rule.
 */

export interface ContractOptions {
  readonly profiles: readonly string[];
  /** Prefix of case names for a message that is not a request (e.g. `assertion.header`). */
  readonly label?: string;
  /** Drops a violation that is only a consequence of another breach (never a policy: the verdict module decides those). */
  readonly ignore?: (v: Violation) => boolean;
  /** Rules about undocumented fields (IN-CON-005, IN-CARD-008): their findings name the fields (paths, never values). */
  readonly namesFields?: ReadonlySet<string>;
}

export interface FieldError {
  /** The contract path (`body.personalInformation.language`). */
  readonly path: string;
  /** FIELD_INVALID_VALUE for a value outside an enum, FIELD_INVALID_FORMAT for the rest (missing, type, pattern). */
  readonly code: FieldErrorCode;
}

/** Records a pass or finding for every exercised rule; returns the errors that refuse the message, in contract order. */
export function gradeContract(g: Grading, msg: MessageDef, value: unknown, options: ContractOptions): FieldError[] {
  const profiles = new Set(options.profiles);
  const name = (path: string) => (options.label === undefined ? path : path === '(root)' ? options.label : `${options.label}.${path}`);
  const pairs = new Map<string, { ruleId: string; path: string }>();
  for (const { rules } of walkFields(msg.field.meta, { value })) {
    for (const use of rules) {
      if (use.role === 'profile' && !profiles.has(use.profile)) continue;
      for (const path of use.paths.map(pathText)) pairs.set(`${use.ref.id}|${path}`, { ruleId: use.ref.id, path });
    }
  }

  const errors: FieldError[] = [];
  const breached = new Set<string>();
  for (const v of checkMessage(msg, value, { profiles: options.profiles }).violations) {
    if (options.ignore?.(v) === true) continue;
    // The rule's data and the run's policies decide (e.g. requestUnknownFields for IN-CON-005).
    const { status, decidedBy } = g.decide(v.ruleId, v.severity === 'warning' ? 'advice' : undefined);
    if (status === 'IGNORED') continue;
    breached.add(`${v.ruleId}|${v.path}`);
    const message = options.namesFields?.has(v.ruleId) === true ? withUndocumented(v, msg.field.meta, value) : v.message;
    g.finding(v.ruleId, name(v.path), decidedBy === undefined ? message : `${message} (${decidedBy})`, status);
    // D1 refuses what breaks its contract, unless a policy lets it through.
    const refused = status === 'FAILED' || (v.severity === 'error' && decidedBy === undefined);
    if (refused) errors.push({ path: v.path, code: codeFor(msg.field.meta, value, v.path) });
  }
  for (const [key, { ruleId, path }] of pairs) if (!breached.has(key)) g.pass(ruleId, name(path));
  return errors;
}

/** The field a D1 error names: the request part (`body`, `headers`...) is dropped, `body` alone stays. */
export function requestField(path: string): string {
  const [part, ...rest] = path.split('.');
  return rest.length > 0 && (part === 'path' || part === 'query' || part === 'headers' || part === 'body') ? rest.join('.') : path;
}

/** A key shown by name: an identifier-like word (a key made of personal data is not shown). */
const KEY_NAME = /^[A-Za-z_][A-Za-z0-9_-]{0,63}$/;
const MAX_NAMED = 10;

/** The message with the undocumented keys at the violation's path named: `body.personalInformation.nickname`. */
function withUndocumented(v: Violation, root: FieldMeta, value: unknown): string {
  const { meta, value: here } = at(root, value, v.path);
  if (meta?.kind !== 'object' || !isRecord(here)) return v.message;
  const extra = Object.keys(here).filter((k) => !(k in meta.fields));
  if (extra.length === 0) return v.message;
  const prefix = v.path === '(root)' ? '' : `${v.path}.`;
  const named = extra.slice(0, MAX_NAMED).map((k) => (KEY_NAME.test(k) ? `${prefix}${k}` : `${prefix}<a key not shown>`));
  const more = extra.length > MAX_NAMED ? ` and ${extra.length - MAX_NAMED} more` : '';
  return `${v.message}; undocumented: ${named.join(', ')}${more}`;
}

/** The field definition and the value at a contract path. */
function at(root: FieldMeta, value: unknown, path: string): { meta: FieldMeta | undefined; value: unknown } {
  const segments = parsePath(path);
  const v = segments.reduce<unknown>((cur, seg) => (isRecord(cur) ? cur[seg] : Array.isArray(cur) ? (cur as unknown[])[Number(seg)] : undefined), value);
  return { meta: fieldAt(root, segments), value: v };
}

function codeFor(root: FieldMeta, value: unknown, path: string): FieldErrorCode {
  const { meta, value: v } = at(root, value, path);
  // A string outside an enum's list is a value problem; a missing or mistyped field is a format problem.
  return meta?.kind === 'enum' && typeof v === 'string' ? 'FIELD_INVALID_VALUE' : 'FIELD_INVALID_FORMAT';
}
