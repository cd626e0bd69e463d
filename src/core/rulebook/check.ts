import type { MessageDef } from './message.js';
import { ruleIdOf, type Level, type RuleRef } from './rule.js';
import { pathText, ruleRefs, walkFields } from './walk.js';
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
  const profiles = new Set(options.profiles ?? []);
  for (const { path, value: here, rules } of walkFields(msg.field.meta, { value })) {
    for (const use of rules) {
      if (use.role === 'advice' && (broken.length === 0 || !isBroken(pathText(path))) && !use.advice.holds(here)) {
        const at = pathText(path);
        push({ ruleId: use.ref.id, level: use.ref.level ?? 'SHOULD', severity: 'warning', path: at, message: `[${use.ref.id}] ${use.advice.text}` });
      } else if (use.role === 'profile' && profiles.has(use.profile) && isRecord(here)) {
        // A key the base schema requires is already reported under its own presence rule.
        for (const { key, path: keyPath } of use.keys.filter((k) => k.alone && here[k.key] === undefined)) {
          push({
            ruleId: use.ref.id,
            level: use.ref.level ?? 'MUST',
            severity: 'error',
            path: pathText(keyPath),
            message: `[${use.ref.id}] ${key} is required with the ${use.profile} profile`,
          });
        }
      }
    }
  }
  return { ok: violations.every((v) => v.severity !== 'error'), violations };
}
