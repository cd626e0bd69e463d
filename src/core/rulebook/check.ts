import type { FieldMeta } from './fields.js';
import type { MessageDef } from './message.js';
import { ruleIdOf, type Level, type RuleRef } from './rule.js';
import { pathText, ruleRefs } from './walk.js';
import { isRecord } from '../util/json.js';

export interface Violation {
  readonly ruleId: string;
  readonly level: Level;
  /** error: the message breaks the contract; warning: a SHOULD or a policy-tolerated deviation. */
  readonly severity: 'error' | 'warning';
  readonly path: string;
  readonly message: string;
}

export interface CheckResult {
  readonly ok: boolean;
  readonly violations: readonly Violation[];
}

export interface CheckOptions {
  /** Integration profiles in force (e.g. `click-to-pay`): they make more fields mandatory. */
  readonly profiles?: readonly string[];
}

const levelCache = new WeakMap<MessageDef, Map<string, RuleRef>>();

function refsById(msg: MessageDef): Map<string, RuleRef> {
  let map = levelCache.get(msg);
  if (!map) {
    map = new Map();
    for (const { ref } of ruleRefs(msg.field.meta)) map.set(ref.id, ref);
    levelCache.set(msg, map);
  }
  return map;
}

/**
 * Checks a message against its contract and names the rule behind every finding: zod does the
 * schema (each issue carries its rule id), then profile presence and advice run over the value.
 */
export function checkMessage(msg: MessageDef, value: unknown, options: CheckOptions = {}): CheckResult {
  const refs = refsById(msg);
  const violations: Violation[] = [];
  const seen = new Set<string>();
  const push = (v: Violation) => {
    const key = `${v.ruleId}|${v.path}`;
    if (!seen.has(key)) {
      seen.add(key);
      violations.push(v);
    }
  };

  const parsed = msg.schema.safeParse(value);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const ruleId = ruleIdOf(issue.message);
      // Every schema node is built with a tagged error; an untagged issue is a bug in a contract.
      if (!ruleId) throw new Error(`contract ${msg.id}: untagged zod issue at ${pathText(issue.path as (string | number)[])}: ${issue.message}`);
      const level = refs.get(ruleId)?.level ?? 'MUST';
      push({ ruleId, level, severity: 'error', path: pathText(issue.path as (string | number)[]), message: issue.message });
    }
  }
  // Advice speaks of values that satisfy the schema: a field already in error gets no advice on top.
  const broken = violations.map((v) => v.path);
  const isBroken = (p: string) => broken.some((b) => b === p || b.startsWith(`${p}.`) || (p === '(root)' && b !== ''));
  walkValue(msg.field.meta, value, [], new Set(options.profiles ?? []), push, isBroken);
  return { ok: violations.every((v) => v.severity !== 'error'), violations };
}

function walkValue(
  meta: FieldMeta,
  value: unknown,
  path: (string | number)[],
  profiles: ReadonlySet<string>,
  push: (v: Violation) => void,
  isBroken: (path: string) => boolean,
): void {
  if (value === undefined) return;
  if (!isBroken(pathText(path)))
    for (const a of meta.advice ?? []) {
      if (!a.holds(value)) {
        push({ ruleId: a.rule.id, level: a.rule.level ?? 'SHOULD', severity: 'warning', path: pathText(path), message: `[${a.rule.id}] ${a.text}` });
      }
    }
  if (meta.kind === 'object' && isRecord(value)) {
    for (const req of meta.profileRequired) {
      if (!profiles.has(req.profile)) continue;
      for (const k of req.keys) {
        // A key the base schema requires is already reported under its own presence rule.
        if (value[k] === undefined && !(k in meta.required)) {
          const p = pathText([...path, k]);
          push({
            ruleId: req.rule.id,
            level: req.rule.level ?? 'MUST',
            severity: 'error',
            path: p,
            message: `[${req.rule.id}] ${k} is required with the ${req.profile} profile`,
          });
        }
      }
    }
    for (const [k, child] of Object.entries(meta.fields)) walkValue(child, value[k], [...path, k], profiles, push, isBroken);
  } else if (meta.kind === 'array' && Array.isArray(value)) {
    value.forEach((item, i) => {
      walkValue(meta.item, item, [...path, i], profiles, push, isBroken);
    });
  }
}
